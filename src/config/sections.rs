//! Reads a TOML document section by section, so that one bad table does not hide the
//! errors in the others.
//!
//! serde stops at the first error in a value. To report every unknown key of a table, the key
//! that was rejected is removed and the table is read again, until it reads or fails for
//! another reason.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::error::ErrorSink;

/// How many unknown keys one table may report before the rest are left unsaid.
const MAX_UNKNOWN_KEYS_PER_TABLE: usize = 32;

/// Reads one value into `T`, recording every error; `None` when any was found.
pub fn read<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    what: &str,
    errors: &mut ErrorSink<'_>,
) -> Option<T> {
    let mut value = value.clone();
    let mut had_unknown_key = false;
    for _ in 0..MAX_UNKNOWN_KEYS_PER_TABLE {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(parsed) => return if had_unknown_key { None } else { Some(parsed) },
            Err(error) => {
                let span = error.span().unwrap_or_else(|| value.span());
                let message = error.message().trim().to_string();
                if let Some((key, expected)) = unknown_field(&message) {
                    errors.at(
                        span,
                        format!("unknown key `{key}` in {what}"),
                        Some(format!("remove it or use one of {expected}")),
                    );
                    had_unknown_key = true;
                    if remove_key(&mut value, &key) {
                        continue;
                    }
                    return None;
                }
                if let Some(key) = message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.strip_suffix('`'))
                {
                    errors.at(
                        value.span(),
                        format!("{what} is missing the required key `{key}`"),
                        Some(format!("add `{key} = ...` to this table")),
                    );
                } else {
                    errors.at(span, format!("{message} in {what}"), None);
                }
                return None;
            }
        }
    }
    None
}

/// Reads an array of tables (`[[feed]]`), each element on its own.
pub fn read_each<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    what: &str,
    errors: &mut ErrorSink<'_>,
) -> Vec<(usize, T)> {
    let DeValue::Array(items) = value.get_ref() else {
        errors.at(
            value.span(),
            format!("`{what}` must be an array of tables"),
            Some(format!("write each one as a `[[{what}]]` table")),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            read::<T>(item, &format!("{what} #{}", i + 1), errors).map(|parsed| (i, parsed))
        })
        .collect()
}

/// The key and expected keys of serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected = rest
        .trim_start_matches(',')
        .trim()
        .trim_start_matches("expected one of ")
        .trim_start_matches("expected ")
        .to_string();
    Some((key.to_string(), expected))
}

fn remove_key(value: &mut Spanned<DeValue<'_>>, key: &str) -> bool {
    let DeValue::Table(table) = value.get_mut() else {
        return false;
    };
    let before = table.len();
    let kept: DeTable<'_> = table
        .iter()
        .filter(|(k, _)| k.get_ref().as_ref() != key)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    *table = kept;
    table.len() < before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_message_is_split() {
        let (key, expected) =
            unknown_field("unknown field `intervall`, expected one of `url`, `name`").unwrap();
        assert_eq!(key, "intervall");
        assert_eq!(expected, "`url`, `name`");
    }
}
