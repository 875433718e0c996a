/** The tool's name and version, recorded in every manifest header. */
export const TOOL_NAME = 'evtriage';
export const TOOL_VERSION = '0.1.0';
