//! Reading the file a user chose in an `<input type="file">`: its name and its text, read
//! after the handler returns. Import and the what-if baseline both open files this way.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::HtmlInputElement;

/// Reads the file chosen in `input`, then calls `done(name, text)`; `text` is `None` when the
/// file cannot be read as text. Clears the input, so choosing the same file again fires
/// `change` again.
pub fn read_chosen_file(input: &HtmlInputElement, done: impl FnOnce(String, Option<String>) + 'static) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    input.set_value("");
    let name = file.name();
    spawn_local(async move {
        let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
        done(name, text);
    });
}
