import { op, type Code, type FuncDef, type ValType } from './emit.js';

/** Builds one function with named locals, so generators read like the loops they encode. */
export class Fn {
  private readonly index = new Map<string, number>();
  private readonly types: ValType[] = [];
  private readonly nParams: number;

  constructor(
    readonly name: string,
    params: [string, ValType][],
    private readonly results: ValType[] = [],
  ) {
    for (const [n, t] of params) this.local(n, t);
    this.nParams = params.length;
  }

  /** Declares a local (idempotent for the same name) and returns its index. */
  local(name: string, type: ValType): number {
    const i = this.index.get(name);
    if (i !== undefined) return i;
    this.index.set(name, this.types.length);
    this.types.push(type);
    return this.types.length - 1;
  }

  /** `local.get` of a declared local. */
  g(name: string): Code {
    return op.get(this.idx(name));
  }

  /** `local.set` of a declared local. */
  s(name: string): Code {
    return op.set(this.idx(name));
  }

  idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm generator: ${this.name} has no local '${name}'`);
    return i;
  }

  build(body: Code): FuncDef {
    return {
      name: this.name,
      params: this.types.slice(0, this.nParams),
      results: this.results,
      locals: this.types.slice(this.nParams),
      body,
    };
  }
}
