//! Reading the files a user chose in an `<input type="file">`: its name and its text, read
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

/// Reads every file chosen in `input`, in order, then calls `done` with each name and text
/// (`None`: not readable as text). Clears the input, as [`read_chosen_file`] does.
pub fn read_chosen_files(input: &HtmlInputElement, done: impl FnOnce(Vec<(String, Option<String>)>) + 'static) {
    let Some(list) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    input.set_value("");
    spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            read.push((file.name(), text));
        }
        done(read);
    });
}
