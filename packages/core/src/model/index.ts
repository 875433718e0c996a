export * from './reason.js';
export * from './classification.js';
export * from './format.js';
export * from './app.js';
export * from './encryption.js';
export * from './evidence-item.js';
export * from './manifest.js';
