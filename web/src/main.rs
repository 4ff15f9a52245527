//! The page's entry point: everything lives in the `sgplay_web` library.

fn main() {
    sgplay_web::mount();
}
