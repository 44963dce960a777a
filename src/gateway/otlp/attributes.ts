/** Builds the Attributes both decoders return, safe for any key the wire may carry. */
import type { AttributeValue, Attributes } from '@opentelemetry/api';

/** Sets `key` on `into`; "__proto__" becomes an own attribute, where a plain assignment would set the prototype. */
export function setAttribute(into: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    into[key] = value;
  }
}
