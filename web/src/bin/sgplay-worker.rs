//! The page's Web Worker: the engine off the main thread (`sgplay_web::worker`). Built by
//! trunk from index.html as `sgplay-worker_bg.wasm`; links none of the page's views.

fn main() {
    sgplay_web::worker::serve::serve();
}
