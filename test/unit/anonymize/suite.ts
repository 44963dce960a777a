/** The shared shape of the per-dialect case tables: exact outputs, idempotence, and fail-closed inputs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anonymizeSql, REDACTED_SQL } from '../../../src/anonymize/index.js';
import type { SqlDialect } from '../../../src/anonymize/index.js';

/** [what the case shows, input, expected output] */
export type Case = readonly [string, string, string];

/** Registers the case table and the unterminated inputs of one dialect. */
export function dialectSuite(dialect: SqlDialect, cases: readonly Case[], unterminated: readonly string[]): void {
  const options = { dialect } as const;
  describe(`anonymizeSql, ${dialect} dialect`, () => {
    for (const [what, input, expected] of cases) {
      it(what, () => {
        const out = anonymizeSql(input, options);
        assert.equal(out, expected);
        assert.equal(anonymizeSql(out, options), out, 'idempotent');
      });
    }

    for (const input of unterminated) {
      it(`fails closed: ${JSON.stringify(input)}`, () => {
        assert.equal(anonymizeSql(input, options), REDACTED_SQL);
      });
    }

    it('REDACTED_SQL maps to itself', () => {
      assert.equal(anonymizeSql(REDACTED_SQL, options), REDACTED_SQL);
    });
  });
}
