/**
 * What a kept word does to the words around it: the anonymizer's small
 * approximation of the two grammars, used with the dialects' own key word
 * categories (postgres.ts, mysql.ts) to tell a key word standing as a key
 * word from the same word standing where only a name can stand.
 *
 * These lists are ours (read off PostgreSQL's gram.y and MySQL's reference
 * manual, and checked by the differential test against PostgreSQL's parser,
 * test/unit/anonymize/differential.test.ts); they only ever decide between
 * keeping a key word and anonymizing it, never whether a literal is kept.
 * A word missing here is anonymized in more places, not fewer: every doubt
 * goes to anonymizing.
 */

/** Splits a word list written as text. */
export function wordList(text: string): readonly string[] {
  return text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Stand alone as a value (`= NULL`, `VALUES (DEFAULT)`, `SET x = on`): kept wherever they stand. */
export const VALUE_WORDS = wordList(`
null true false default all current_date current_time current_timestamp
localtime localtimestamp current_user session_user current_role current_catalog
current_schema system_user utc_date utc_time utc_timestamp dual end on off stdin stdout
`);

/** Follow a name or an expression (`x DESC`, `t AS`, `x NULLS FIRST`, `UPDATE t SET`). */
export const FOLLOW_WORDS = wordList(`
from as and or is in not like ilike similar between on where group order having
limit offset union except intersect desc asc nulls then else end when join inner
left right full cross natural outer straight_join using returning for window
collate isnull notnull fetch over filter within at escape uescape into set values
overlaps tablesample div mod xor regexp rlike sounds member against with skip
nowait search cycle overriding repeatable rows range groups partition use force
ignore do format to
`);

/** After them an expression starts: a word there is a column unless it reads as a key word. */
export const INTRO_WORDS = wordList(`
select distinct where and or not by having when then else case returning between
like ilike limit offset similar
`);

/**
 * After them a relation or other object name stands (`FROM t`, `CREATE INDEX
 * i`, `CALL p()`): a non-reserved word there is a name.
 */
export const RELATION_WORDS = wordList(`
from join into table only lateral index view sequence function procedure routine
trigger schema database domain extension policy rule server publication
subscription tablespace constraint column statistics window savepoint declare
deallocate listen notify unlisten close truncate copy call references of using
exists concurrently authorization role user key prepare over aggregate collation
conversion after
`);

/**
 * After them an object name, or a word naming a kind of object or an
 * action, stands (`ON t`, `ON SCHEMA s`, `ON DELETE CASCADE`, `OWNER TO r`).
 */
export const OBJECT_WORDS = wordList(`
on to lock vacuum analyze analyse cluster reindex rename add modify change
`);

/** Name a kind of object; kept right after an OBJECT_WORDS word (`ON SCHEMA s`, `EXECUTE FUNCTION f`). */
export const KIND_WORDS = wordList(`
table tables index view views sequence sequences function functions procedure
procedures routine routines trigger schema schemas database type types domain
extension server role user group policy rule tablespace column constraint
savepoint publication subscription language collation conversion operator
aggregate materialized foreign large object event statistics access method
cast transform wrapper default system session mapping
`);

/** Kept right after ON (`ON DELETE`, `ON COMMIT`, `ON DUPLICATE KEY`, `NULL ON EMPTY`). */
export const ON_WORDS = wordList(`
delete update commit conflict duplicate empty error tables sequences functions
types schemas routines procedures
`);

/** Interval fields: after `hour TO`, `year TO`, ... a field again, not a name. */
export const INTERVAL_FIELD_WORDS = wordList(`
year month day hour minute second
`);

/** The non-reserved words that follow `)` in a query (after a paren, any other is an alias: `count(*) skip`). */
export const AFTER_PAREN_WORDS = wordList(`
over filter within values overriding search cycle repeatable against set do with
on using returning nulls at collate
`);

/** Follow a name only in a window clause, inside parens (`ORDER BY x ROWS ...`); elsewhere an alias. */
export const FRAME_WORDS = wordList(`
rows range groups
`);

/**
 * Non-reserved words that read as key words wherever they stand, unless a
 * dot or AS makes them a name (`IF NOT EXISTS`, `ON CONFLICT`, `WHEN
 * MATCHED`, `THEN DELETE`, `WITH RECURSIVE`, `FROM STDIN`).
 */
export const NOT_NAME_WORDS = wordList(`
if conflict matched insert update delete merge exclude sql_no_cache sql_cache
sql_buffer_result recursive nothing instead also nfc nfd nfkc nfkd exists
concurrently only mapping out inout variadic generated prepare execute
assignment implicit
`);

/** Key words right after AS (`AS IDENTITY`, `AS MATERIALIZED`, `AS ENUM`, `AS PERMISSIVE`). */
export const AS_WORDS = wordList(`
identity materialized enum range restrictive permissive implicit assignment not
values insert update delete merge
`);

/**
 * The bare number after them must be an integer in the grammar (`FETCH 5`,
 * `INCREMENT BY 1`, `CONNECTION LIMIT 3`, `MODULUS 4`): it becomes a fixed 0.
 */
export const FIXED_NUMBER_WORDS = wordList(`
fetch move forward backward absolute relative increment start minvalue maxvalue
cache restart statistics cost rows connection modulus remainder object
`);

/** May stand between a FIXED_NUMBER_WORDS word and its number (`INCREMENT BY`, `START WITH`, `FETCH FIRST`). */
export const NUMBER_CONNECTOR_WORDS = wordList(`
by with first next limit
`);

/** Types whose `(n)` must be integers (`varchar(255)`, `numeric(10,2)`, `timestamp(3)`): fixed 0s. */
export const TYPE_LENGTH_WORDS = wordList(`
varchar char character nchar nvarchar varying float time timestamp interval bit
numeric decimal dec int integer tinyint smallint mediumint bigint double real
datetime varbinary binary year
`);

/** A `(` right after them holds options whose names are key words (`EXPLAIN (ANALYZE)`, `WITH (FORMAT csv)`). */
export const OPTIONS_WORDS = wordList(`
explain vacuum analyze analyse cluster reindex with set reset options extract
xmlelement
`);

/** A `(` right after them holds `x AS type` or `x, type` (`CAST(x AS int)`, MySQL `CONVERT(x, CHAR)`). */
export const CAST_WORDS = wordList(`
cast treat convert xmlserialize
`);

/** Make the statement a query (bare words after names are aliases, not key words). */
export const QUERY_WORDS = wordList(`
select insert update delete merge with values replace
`);

/** Types, key words or not, for both dialects (a word after `::`, or a column definition's type). */
export const TYPE_WORDS = wordList(`
bigint bit boolean bool char character dec decimal float int integer interval
national nchar numeric real smallint time timestamp varchar double json jsonb xml
text tinyint mediumint int1 int2 int3 int4 int8 float4 float8 date datetime year
binary varbinary tinyblob blob mediumblob longblob tinytext mediumtext longtext
enum geometry point linestring polygon serial nvarchar long
`);

/**
 * Words that are not key words in PostgreSQL's grammar but are its role
 * options and partitioning words (gram.y reads them as identifiers): kept as
 * key words where they stand as such (`CREATE ROLE r NOSUPERUSER`, `PARTITION
 * BY LIST (x)`), anonymized like any name elsewhere.
 */
export const POSTGRES_OPTION_WORDS = wordList(`
login nologin superuser nosuperuser createdb nocreatedb createrole nocreaterole
noinherit replication noreplication bypassrls nobypassrls list hash modulus
remainder
`);

/** PostgreSQL's system columns: not names a user chose, kept wherever they stand. */
export const POSTGRES_SYSTEM_COLUMNS = wordList(`
oid ctid xmin xmax cmin cmax tableoid
`);
