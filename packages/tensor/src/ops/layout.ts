export { isContiguous as isContiguousView } from '../backend/cpu/strided.js';
