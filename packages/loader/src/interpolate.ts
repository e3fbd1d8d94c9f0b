/** What a `$reference` stands for, or why it cannot be substituted. */
export type ReferenceValue = { ok: true; text: string } | { ok: false; message: string };

/**
 * Looks up a referenced option: `group` is undefined for `$name`, set for
 * `$group.name`.
 */
export type ReferenceLookup = (group: string | undefined, name: string) => ReferenceValue;

export type Interpolation = { ok: true; value: string } | { ok: false; message: string };

// $$, $name, ${name}, $group.name, ${group.name} (Python string.Template with
// oslo's dotted identifiers).
const TEMPLATE = /\$(?:(\$)|([_a-zA-Z][._a-zA-Z0-9]*)|\{([_a-zA-Z][._a-zA-Z0-9]*)\})/g;

/**
 * oslo.config value interpolation: `$name`, `${name}` and `$group.name` are
 * replaced by that option's value; `$$` and `\$` give a literal `$`; any other
 * `$` is kept as is. A reference the lookup cannot satisfy is an error.
 * @see oslo_config/cfg.py ConfigOpts._substitute
 */
export function interpolate(raw: string, lookup: ReferenceLookup): Interpolation {
  if (!raw.includes('$')) return { ok: true, value: raw };
  const text = raw.replaceAll('\\$', '$$');
  let failure: string | undefined;
  const value = text.replace(
    TEMPLATE,
    (whole, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
      if (escaped !== undefined) return '$';
      let id = named ?? braced ?? '';
      // A sentence-ending dot after `$name` is not part of the name.
      let tail = '';
      if (named !== undefined) {
        const trimmed = id.replace(/\.+$/, '');
        tail = id.slice(trimmed.length);
        id = trimmed;
      }
      const dot = id.indexOf('.');
      const found = dot < 0 ? lookup(undefined, id) : lookup(id.slice(0, dot), id.slice(dot + 1));
      if (!found.ok) {
        failure ??= found.message;
        return whole;
      }
      return found.text + tail;
    },
  );
  return failure === undefined ? { ok: true, value } : { ok: false, message: failure };
}
