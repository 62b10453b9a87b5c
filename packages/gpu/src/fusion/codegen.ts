import type { DType } from '@difflab/tensor';
import type { Expr, GpuData } from '../data.js';
import { wgslType } from '../dtype.js';
import { libCode } from '../wgsl/lib.js';
import { binaryCode, convert, unaryCode, whereCode } from '../wgsl/ops.js';
import { MetaWriter, metaDecl, metaRead, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';

export const ELEMENTWISE_WG = 256;

export interface CompiledElementwise {
  code: string;
  meta: number[];
  /** Input buffers in binding order (bindings 2, 3, …). */
  inputs: GPUBuffer[];
  layout: string;
}

/**
 * Generates one kernel computing `root` for every element of a contiguous output of size `n`.
 * Lazy leaves (identity views of other lazy arrays) are inlined, each once, so a chain of
 * elementwise ops becomes straight-line code reading every input buffer once.
 */
export function compileElementwise(root: Expr, n: number): CompiledElementwise {
  const meta = new MetaWriter();
  meta.u(n);
  const body: string[] = [];
  const fns = new Set<string>();
  const inputs: GPUBuffer[] = [];
  const inputTypes: string[] = [];
  const bindingOf = new Map<GPUBuffer, number>();
  const handleVar = new Map<GpuData, string>();
  const leafVar = new Map<string, string>();
  let counter = 0;
  const fresh = () => `v${counter++}`;

  const define = (dt: DType, expr: string, used: string[]): string => {
    for (const f of used) fns.add(f);
    const v = fresh();
    body.push(`let ${v}: ${wgslType(dt)} = ${expr};`);
    return v;
  };

  const emit = (e: Expr): string => {
    switch (e.k) {
      case 'const':
        return define(e.dtype, metaRead(meta.scalar(e.value, wgslType(e.dtype)), wgslType(e.dtype)), []);
      case 'leaf': {
        const h = e.h;
        if (h.buffer === null) {
          let v = handleVar.get(h);
          if (!v) {
            v = emit(h.expr!);
            handleVar.set(h, v);
          }
          return v;
        }
        let b = bindingOf.get(h.buffer);
        if (b === undefined) {
          b = inputs.length;
          inputs.push(h.buffer);
          inputTypes.push(wgslType(h.dtype));
          bindingOf.set(h.buffer, b);
        }
        const key = `${b}|${e.shape.join(',')}|${e.strides.join(',')}|${e.offset}`;
        let v = leafVar.get(key);
        if (!v) {
          v = fresh();
          body.push(viewOffset(meta, e, 'gi', `${v}_o`));
          body.push(`let ${v}: ${wgslType(e.dtype)} = src${b}[u32(${v}_o)];`);
          leafVar.set(key, v);
        }
        return v;
      }
      case 'unary': {
        const x = emit(e.x);
        const c = unaryCode(e.op, x, e.x.dtype, e.dtype);
        return define(e.dtype, c.expr, c.fns);
      }
      case 'cast': {
        const x = emit(e.x);
        const c = convert(x, e.x.dtype, e.dtype);
        return define(e.dtype, c.expr, c.fns);
      }
      case 'binary': {
        const a = emit(e.a);
        const b = emit(e.b);
        const c = binaryCode(e.op, a, b, e.a.dtype, e.b.dtype, e.dtype);
        return define(e.dtype, c.expr, c.fns);
      }
      case 'where': {
        const c = emit(e.c);
        const a = emit(e.a);
        const b = emit(e.b);
        const w = whereCode(c, a, b, e.c.dtype, e.a.dtype, e.b.dtype, e.dtype);
        return define(e.dtype, w.expr, w.fns);
      }
    }
  };

  const result = emit(root);
  const decls = [storageDecl(1, 'dst', wgslType(root.dtype), true)];
  inputTypes.forEach((t, b) => decls.push(storageDecl(b + 2, `src${b}`, t as 'f32', false)));
  const code = `${metaDecl(meta.words.length)}
${decls.join('\n')}
${libCode(fns)}
@compute @workgroup_size(${ELEMENTWISE_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  // Grid-stride loop: the dispatch may have fewer threads than elements.
  let stride = nwg.x * nwg.y * ${ELEMENTWISE_WG}u;
  for (var gi = (wid.x + wid.y * nwg.x) * ${ELEMENTWISE_WG}u + lid; gi < mu(0u); gi += stride) {
  ${body.join('\n  ')}
  dst[gi] = ${result};
  }
}`;
  return { code, meta: meta.words, inputs, layout: 'w' + 'r'.repeat(inputs.length) };
}

/** Nodes and distinct input buffers of an expression, counting inlined lazy arrays once. */
export function exprCost(root: Expr): { nodes: number; buffers: number } {
  let nodes = 0;
  const buffers = new Set<GPUBuffer>();
  const seen = new Set<GpuData>();
  const walk = (e: Expr): void => {
    nodes++;
    switch (e.k) {
      case 'const':
        return;
      case 'leaf':
        if (e.h.buffer) buffers.add(e.h.buffer);
        else if (!seen.has(e.h)) {
          seen.add(e.h);
          walk(e.h.expr!);
        }
        return;
      case 'unary':
      case 'cast':
        return walk(e.x);
      case 'binary':
        walk(e.a);
        return walk(e.b);
      case 'where':
        walk(e.c);
        walk(e.a);
        return walk(e.b);
    }
  };
  walk(root);
  return { nodes, buffers: buffers.size };
}
