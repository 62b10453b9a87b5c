// Re-exports the shared float64 finite-difference checker of @difflab/tensor so every package
// checks gradients the same way.
export { gradcheck } from '../../../tensor/test/helpers/gradcheck.js';
