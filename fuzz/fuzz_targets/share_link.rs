#![no_main]
//! Fuzz target `share_link`: the page's share-link decoder (`sgplay_web::state::share::decode`,
//! web/src/state/share.rs) on any text, natively. No panic, bounded memory (the decoder caps
//! what it inflates), and a link it accepts encodes back to one that decodes to the same.

use libfuzzer_sys::fuzz_target;
use sgplay_web::state::share::{decode, encode, fragment_value, FRAGMENT_KEY};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = fragment_value(&text, FRAGMENT_KEY);
    // Inputs starting with `!` are deflated by the harness first, so the fuzzer reaches the JSON
    // reader behind the decompressor without having to write deflate streams itself.
    let link = match text.strip_prefix('!') {
        Some(json) => encode_raw(json.as_bytes()),
        None => text.into_owned(),
    };
    if let Ok(shared) = decode(&link) {
        let again = encode(&shared);
        assert_eq!(decode(&again).as_ref(), Ok(&shared), "a decoded link encodes to one that decodes otherwise");
    }
});

fn encode_raw(json: &[u8]) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(json, 6);
    format!("1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}
