/**
 * @evtriage/cli as a library: the program builder, for embedding and tests.
 */
export { buildProgram } from './program.js';
export { runProgram } from './run.js';
export { EXIT, CliError } from './exit-codes.js';
export { summaryText } from './summary-text.js';
