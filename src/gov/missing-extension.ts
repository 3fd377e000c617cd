/**
 * The browser build of DuckDB has no JSON or ICU extension, and a cell can neither install nor load one.
 * DuckDB's own message then says "INSTALL json", which the guard refuses; this says what works instead.
 */

const MISSING_FUNCTION =
  /Function with name "?([^"\s]+)"? is not in the catalog, but it exists in the (\w+) extension/;
const AUTOLOAD = /required extension '(\w+)'/;
/** Without ICU, DuckDB cannot cast a TIMESTAMPTZ value (a column or a literal) to anything but TIMESTAMP. */
const TIME_ZONE_CAST = /Unimplemented type for cast \(TIMESTAMP WITH TIME ZONE/;

const INSTEAD: Record<string, string> = {
  json: 'JSON functions are not available in this notebook\'s engine. Instead: build JSON text with format() or || (format(\'{"ward": "{}"}\', ward)), read a value out of JSON text with regexp_extract(text, \'"ward": *"([^"]*)"\', 1), and show a STRUCT or LIST as text with CAST(x AS VARCHAR).',
  icu: "Time zones are not available in this notebook's engine. now(), current_timestamp, current_date and today() give the time in UTC as TIMESTAMP and DATE, and date_trunc, date_part, strftime and interval arithmetic work on them; cast a TIMESTAMPTZ value to TIMESTAMP first.",
};

/** A message naming what works instead, when DuckDB's error is about an extension this build lacks. */
export function missingExtensionReason(message: string): string | undefined {
  const fn = MISSING_FUNCTION.exec(message);
  const extension =
    fn?.[2] ?? AUTOLOAD.exec(message)?.[1] ?? (TIME_ZONE_CAST.test(message) ? 'icu' : undefined);
  if (!extension) return undefined;
  const what = fn ? `${fn[1]}() needs DuckDB's ${extension} extension, which cells cannot load. ` : '';
  return (
    what +
    (INSTEAD[extension] ??
      `DuckDB's ${extension} extension is not part of this notebook's engine, and cells cannot install or load extensions.`)
  );
}
