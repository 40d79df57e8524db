// @ts-check
/** The one event emitter of the editor's modules: listeners per event name, called in the order they were added. */
export class Emitter {
  /** @type {Map<string, Set<(data: any) => void>>} */
  #listeners = new Map();

  /**
   * @param {string} event @param {(data: any) => void} fn
   * @returns {() => void} removes the listener
   */
  on(event, fn) {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, set = new Set());
    set.add(fn);
    return () => { this.#listeners.get(event)?.delete(fn); };
  }

  /** @param {string} event @param {any} data */
  emit(event, data) {
    for (const fn of [...(this.#listeners.get(event) || [])]) fn(data);
  }

  /** Removes every listener. */
  off() {
    this.#listeners.clear();
  }
}
