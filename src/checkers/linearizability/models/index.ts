import type { Model } from '../model.js';
import { casRegister } from './cas-register.js';
import { fifoQueue } from './fifo-queue.js';
import { kv } from './kv.js';
import { multiRegister } from './multi-register.js';
import { mutex } from './mutex.js';
import { register } from './register.js';
import { set } from './set.js';
import { unorderedQueue } from './unordered-queue.js';

export { makeMultiRegister } from './multi-register.js';
export { casRegister, fifoQueue, kv, multiRegister, mutex, register, set, unorderedQueue };

/**
 * Every model by name. Models expect ops that went through their `prepare` (values become
 * canonical tokens there), as the checker does.
 */
export const models: Record<string, Model> = {
  register,
  'cas-register': casRegister,
  mutex,
  'multi-register': multiRegister,
  kv,
  set,
  'fifo-queue': fifoQueue,
  'unordered-queue': unorderedQueue,
};

export function getModel(name: string): Model | undefined {
  return Object.hasOwn(models, name) ? models[name] : undefined;
}
