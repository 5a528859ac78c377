//! What a scalar means: null, boolean, number or string.
//!
//! The rules are serde_yaml's (`yaml_serde` 0.10, `de.rs`), kept exactly:
//! the record format was defined by what that reader gives, and the tests
//! hold it (`title: 1.50` is a number, `date: 2024` an integer, `yes` a
//! string, `0x1F` 31, `007` a string). The functions below are ported from
//! there (MIT OR Apache-2.0).

use super::events::ScalarStyle;
use super::node::Node;
use std::borrow::Cow;
use std::num::ParseIntError;

const NULL: &[u8] = b"tag:yaml.org,2002:null";
const BOOL: &[u8] = b"tag:yaml.org,2002:bool";
const INT: &[u8] = b"tag:yaml.org,2002:int";
const FLOAT: &[u8] = b"tag:yaml.org,2002:float";

/// The node a scalar reads as.
///
/// # Errors
///
/// A value that its core-schema tag (`!!int`, `!!bool`, `!!float`,
/// `!!null`) does not allow: serde_yaml's message.
pub fn scalar<'a>(
    value: Cow<'a, str>,
    style: ScalarStyle,
    tag: Option<&[u8]>,
) -> Result<Node<'a>, String> {
    // A local tag (`!foo`) is dropped and the value read as if untagged;
    // serde_yaml passes it as an enum variant whose content is read so.
    let local = tag.is_some_and(|t| t.first() == Some(&b'!'));
    match tag {
        Some(t) if !local => {
            let v = value.as_ref();
            let bad = |what: &str| format!("invalid value: string {v:?}, expected {what}");
            if t == BOOL {
                parse_bool(v)
                    .map(Node::Bool)
                    .ok_or_else(|| bad("a boolean"))
            } else if t == INT {
                int(v).ok_or_else(|| bad("an integer"))
            } else if t == FLOAT {
                parse_f64(v).map(Node::Float).ok_or_else(|| bad("a float"))
            } else if t == NULL {
                is_null(v).then_some(Node::Null).ok_or_else(|| bad("null"))
            } else {
                Ok(Node::Str(value))
            }
        }
        _ if style == ScalarStyle::Plain => Ok(untagged(value)),
        _ => Ok(Node::Str(value)),
    }
}

fn untagged(value: Cow<'_, str>) -> Node<'_> {
    let v = value.as_ref();
    if v.is_empty() || is_null(v) {
        return Node::Null;
    }
    if let Some(b) = parse_bool(v) {
        return Node::Bool(b);
    }
    if let Some(n) = int(v) {
        return n;
    }
    if !digits_but_not_number(v) {
        if let Some(f) = parse_f64(v) {
            return Node::Float(f);
        }
    }
    Node::Str(value)
}

fn int(v: &str) -> Option<Node<'static>> {
    if let Some(n) = parse_unsigned_int(v, u64::from_str_radix) {
        return Some(Node::Int(n.into()));
    }
    if let Some(n) = parse_negative_int(v, i64::from_str_radix) {
        return Some(Node::Int(n.into()));
    }
    if let Some(n) = parse_unsigned_int(v, u128::from_str_radix) {
        return Some(i128::try_from(n).map_or(Node::Float(n as f64), Node::Int));
    }
    parse_negative_int(v, i128::from_str_radix).map(Node::Int)
}

fn is_null(v: &str) -> bool {
    matches!(v, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(n) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = if let Some(u) = scalar.strip_prefix('+') {
        if u.starts_with(['+', '-']) {
            return None;
        }
        u
    } else {
        scalar
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros then digits: a string in YAML 1.2 (`007`).
fn digits_but_not_number(scalar: &str) -> bool {
    let s = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: &str) -> Node<'_> {
        scalar(Cow::Borrowed(v), ScalarStyle::Plain, None).unwrap()
    }

    #[test]
    fn resolves_as_serde_yaml_does() {
        assert_eq!(plain(""), Node::Null);
        assert_eq!(plain("~"), Node::Null);
        assert_eq!(plain("True"), Node::Bool(true));
        assert_eq!(plain("yes"), Node::Str("yes".into()));
        assert_eq!(plain("2024"), Node::Int(2024));
        assert_eq!(plain("0x1F"), Node::Int(31));
        assert_eq!(plain("0o17"), Node::Int(15));
        assert_eq!(plain("+5"), Node::Int(5));
        assert_eq!(plain("-0"), Node::Int(0));
        assert_eq!(plain("-0x10"), Node::Int(-16));
        assert_eq!(plain("007"), Node::Str("007".into()));
        assert_eq!(plain("1.50"), Node::Float(1.5));
        assert_eq!(plain("1e3"), Node::Float(1000.0));
        assert_eq!(plain("-.inf"), Node::Float(f64::NEG_INFINITY));
        assert_eq!(plain("1e999"), Node::Str("1e999".into()));
        assert_eq!(plain("2024-01-06"), Node::Str("2024-01-06".into()));
        assert_eq!(
            plain("340282366920938463463374607431768211455"),
            Node::Float(u128::MAX as f64)
        );
    }

    #[test]
    fn quoted_and_tagged() {
        let q = scalar(Cow::Borrowed("5"), ScalarStyle::DoubleQuoted, None).unwrap();
        assert_eq!(q, Node::Str("5".into()));
        let local = scalar(Cow::Borrowed("5"), ScalarStyle::Plain, Some(b"!x")).unwrap();
        assert_eq!(local, Node::Int(5));
        let int = scalar(Cow::Borrowed("5"), ScalarStyle::SingleQuoted, Some(INT)).unwrap();
        assert_eq!(int, Node::Int(5));
        let s = scalar(
            Cow::Borrowed("5"),
            ScalarStyle::Plain,
            Some(b"tag:yaml.org,2002:str"),
        );
        assert_eq!(s.unwrap(), Node::Str("5".into()));
        assert!(scalar(Cow::Borrowed("x"), ScalarStyle::Plain, Some(BOOL)).is_err());
    }
}
