//! Share links: the whole scenario and the tester's inputs in the URL fragment, as
//! `#s=1.<base64url(deflate(json))>`. Pure functions, tested natively.
//!
//! A link comes from a stranger, so reading one is bounded before anything is built from it:
//! the fragment's length, then the inflated size, by streaming decompression that stops at
//! [`MAX_INPUT_BYTES`] (a decompression bomb of a few kilobytes is refused after inflating one
//! chunk past the limit, never inflated whole), then the engine's own limits on the scenario.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use serde::{Deserialize, Serialize};
use sgplay_core::scenario::limits::MAX_INPUT_BYTES;
use sgplay_core::scenario::{from_json, ProbeSpec, ScenarioSpec, FORMAT_VERSION};

/// The fragment key a share link uses.
pub const FRAGMENT_KEY: &str = "s";
/// Links longer than this may be cut by chat tools and browsers; the UI warns above it.
pub const COMFORTABLE_LENGTH: usize = 8000;
/// The link format this build writes and reads (the number before the dot).
pub const LINK_VERSION: u32 = 1;
/// Inflation works through a buffer of this size, so memory stays at the cap plus one chunk.
const CHUNK: usize = 32 * 1024;

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
    format!("{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment value back. Errors say what is wrong with the link in words.
pub fn decode(value: &str) -> Result<Shared, String> {
    let value = value.trim();
    let Some((version, body)) = value.split_once('.') else {
        return Err("this is not an sgplay share link: its value does not start with a format number and a dot (`1.`)".into());
    };
    match version.parse::<u64>() {
        Ok(v) if v == u64::from(LINK_VERSION) => {}
        Ok(v) if v > u64::from(LINK_VERSION) => {
            return Err(format!(
                "this share link was made by a newer sgplay (link format {v}); this one reads format {LINK_VERSION}. Open it with the newer sgplay"
            ))
        }
        _ => return Err(format!("this is not an sgplay share link: it does not start with `{LINK_VERSION}.`")),
    }
    // Base64 is 4/3 of the bytes it carries, and deflate never makes JSON longer by much:
    // a link this long could not inflate to a scenario sgplay reads anyway.
    if body.len() > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    let packed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "this share link is damaged: it is not valid base64url; was it cut short when copied?".to_string())?;
    let json = inflate_capped(&packed, MAX_INPUT_BYTES)?;
    let text = String::from_utf8(json).map_err(|_| "this share link is damaged: its data is not text".to_string())?;
    let shared: Shared = from_json(&text).map_err(|e| format!("this share link holds a scenario this sgplay cannot read: {e}"))?;
    if shared.scenario.version > FORMAT_VERSION {
        return Err(format!(
            "this share link holds a scenario written by a newer sgplay (scenario format {}); this one reads format {FORMAT_VERSION}. Open it with the newer sgplay",
            shared.scenario.version
        ));
    }
    Ok(shared)
}

fn too_large() -> String {
    format!(
        "this share link holds more than {} MiB of data, more than sgplay opens; it may be a hostile link. Nothing was loaded",
        MAX_INPUT_BYTES >> 20
    )
}

/// Inflates raw deflate data chunk by chunk, giving up as soon as the output passes `cap`.
pub fn inflate_capped(packed: &[u8], cap: usize) -> Result<Vec<u8>, String> {
    let damaged = || "this share link is damaged: its data does not decompress; was it cut short when copied?".to_string();
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    let mut input = packed;
    loop {
        let result = inflate(&mut state, input, &mut chunk, MZFlush::None);
        input = &input[result.bytes_consumed.min(input.len())..];
        if out.len() + result.bytes_written > cap {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk[..result.bytes_written]);
        match result.status {
            Ok(MZStatus::StreamEnd) => return Ok(out),
            Ok(_) if result.bytes_consumed == 0 && result.bytes_written == 0 => {
                // No progress: the input ended before the stream did.
                return Err(damaged());
            }
            Ok(_) => {}
            Err(MZError::Buf) if input.is_empty() => return Err(damaged()),
            Err(_) => return Err(damaged()),
        }
    }
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
        for cut in [link.len() / 2, link.len() - 3, 4] {
            let e = decode(&link[..cut]).unwrap_err();
            assert!(e.contains("damaged"), "{cut}: {e}");
        }
        assert!(decode("1.!!!").unwrap_err().contains("base64url"));
        assert!(decode("1.").unwrap_err().contains("damaged"));
        // Valid base64url of bytes that are not deflate data.
        assert!(decode(&format!("1.{}", URL_SAFE_NO_PAD.encode([0xffu8; 64]))).unwrap_err().contains("damaged"));
        assert!(decode("garbage").unwrap_err().contains("not an sgplay share link"));
        assert!(decode("x.abc").unwrap_err().contains("not an sgplay share link"));
    }

    #[test]
    fn a_link_from_a_newer_sgplay_says_so() {
        let e = decode("2.abc").unwrap_err();
        assert!(e.contains("newer sgplay (link format 2)"), "{e}");
        // Link format 1, but a scenario of a newer format inside.
        let mut s = sample();
        s.scenario.version = FORMAT_VERSION + 1;
        let e = decode(&encode(&s)).unwrap_err();
        assert!(e.contains("newer sgplay (scenario format 2)"), "{e}");
    }

    /// A few kilobytes that inflate past the limit are refused without being inflated whole.
    #[test]
    fn a_decompression_bomb_is_refused() {
        let zeros = vec![b' '; MAX_INPUT_BYTES + 1024];
        let bomb = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
        let link = format!("1.{}", URL_SAFE_NO_PAD.encode(&bomb));
        let started = std::time::Instant::now();
        let e = decode(&link).unwrap_err();
        assert!(e.contains("more than 16 MiB"), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // The cap holds exactly: one byte under inflates, one over does not.
        let packed = miniz_oxide::deflate::compress_to_vec(&[b'a'; 100_000], 6);
        assert_eq!(inflate_capped(&packed, 100_000).map(|v| v.len()), Ok(100_000));
        assert!(inflate_capped(&packed, 99_999).unwrap_err().contains("MiB"));
    }

    #[test]
    fn an_overlong_link_is_refused_before_decoding() {
        let e = decode(&format!("1.{}", "A".repeat(MAX_INPUT_BYTES + 1))).unwrap_err();
        assert!(e.contains("more than 16 MiB"), "{e}");
    }

    #[test]
    fn fragment_values() {
        assert_eq!(fragment_value("#s=1.abc&x=2", "s"), Some("1.abc"));
        assert_eq!(fragment_value("#example=web", "example"), Some("web"));
        assert_eq!(fragment_value("#example=web", "s"), None);
    }
}
