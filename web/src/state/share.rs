//! Share links: the whole scenario and the tester's inputs in the URL fragment, as
//! `#s=1.<base64url(deflate(json))>`. Pure functions, tested natively.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sgplay_core::scenario::{from_json, ProbeSpec, ScenarioSpec};

/// The fragment key a share link uses.
pub const FRAGMENT_KEY: &str = "s";
/// Links longer than this may be cut by chat tools and browsers; the UI warns above it.
pub const COMFORTABLE_LENGTH: usize = 8000;
/// A decoded link may not inflate beyond this (a hostile link must not exhaust memory).
const MAX_INFLATED: usize = 8 * 1024 * 1024;

/// What a share link carries: the shareable subset of the playground's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub scenario: ScenarioSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeSpec>,
}

/// The fragment value (without `#s=`).
pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("1.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment value back. Errors say what is wrong with the link in words.
pub fn decode(value: &str) -> Result<Shared, String> {
    let Some(body) = value.trim().strip_prefix("1.") else {
        return Err("this share link is not from this version of sgplay (it does not start with `1.`)".into());
    };
    let packed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "this share link is damaged: it is not valid base64url; was it cut short when copied?".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| "this share link is damaged: its data does not decompress; was it cut short when copied?".to_string())?;
    let text = String::from_utf8(json).map_err(|_| "this share link is damaged: its data is not text".to_string())?;
    from_json(&text).map_err(|e| format!("this share link holds a scenario this sgplay cannot read: {e}"))
}

/// The value of `key` in a fragment like `#s=…&p=…`.
pub fn fragment_value<'a>(fragment: &'a str, key: &str) -> Option<&'a str> {
    fragment.trim_start_matches('#').split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shared {
        let scenario = ScenarioSpec::parse(
            r#"{"name":"x","security_groups":[{"id":"sg","rules":[{"direction":"ingress","protocol":"tcp","multiport":"22"}]}],
            "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg"]}]}"#,
        )
        .unwrap();
        Shared {
            scenario,
            probe: Some(ProbeSpec { from: "1.2.3.4".into(), to: "a".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() }),
        }
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let link = encode(&s);
        assert!(link.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{link}");
        assert_eq!(decode(&link), Ok(s));
    }

    #[test]
    fn damaged_links_say_so() {
        let link = encode(&sample());
        assert!(decode(&link[..link.len() / 2]).unwrap_err().contains("damaged"));
        assert!(decode("2.abc").unwrap_err().contains("version"));
        assert!(decode("1.!!!").unwrap_err().contains("base64url"));
    }

    #[test]
    fn fragment_values() {
        assert_eq!(fragment_value("#s=1.abc&x=2", "s"), Some("1.abc"));
        assert_eq!(fragment_value("#example=web", "example"), Some("web"));
        assert_eq!(fragment_value("#example=web", "s"), None);
    }
}
