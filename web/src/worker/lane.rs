//! The page's side of the worker: a [`Lane`] runs one kind of job in its own worker and shows
//! where it stands in a signal ([`LaneState`]), which the panels read.
//!
//! - A new job replaces the one running: its request gets a new id and answers to the old id
//!   are dropped; a worker busy with the old job is terminated, so the newest edit is answered
//!   first rather than after a stale computation.
//! - Cancel terminates the worker; the next job starts a fresh one (the wasm is cached by the
//!   browser, so that costs its compile and start, tens of milliseconds).
//! - The worker says `Ready` before it is sent anything, so no request is lost while its wasm
//!   loads. If it cannot start (no module workers, the file missing, as in the wasm-bindgen
//!   tests), the lane runs its jobs in place from then on: the same function, the same answer,
//!   only on the page's thread.

use super::jobs::run;
use super::protocol::{Job, Outcome, Progress, Reply, Request};
use super::WORKER_SCRIPT;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where a lane's job stands.
#[derive(Clone, Debug, PartialEq)]
pub enum LaneState {
    Idle,
    Running {
        /// "Computing the reachability matrix".
        what: &'static str,
        progress: Progress,
    },
    Done {
        outcome: Arc<Outcome>,
        millis: f64,
        /// Computed in the worker rather than in place.
        in_worker: bool,
    },
    Cancelled,
    Failed(String),
}

impl LaneState {
    pub fn is_running(&self) -> bool {
        matches!(self, LaneState::Running { .. })
    }
}

/// The worker's message and error listeners, kept alive as long as it is.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    /// The worker has said `Ready`.
    ready: bool,
    /// A request written before the worker was ready.
    pending: Option<String>,
    /// The job the worker has not answered yet (run in place if the worker fails).
    outstanding: Option<(u64, Job)>,
    /// The id answers must carry to count.
    current: u64,
    /// No worker can be had here: jobs run in place.
    in_place: bool,
    handlers: Option<Handlers>,
}

/// One kind of job and its worker. Copy, like a signal.
#[derive(Clone, Copy)]
pub struct Lane {
    pub state: RwSignal<LaneState>,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

impl Default for Lane {
    fn default() -> Self {
        Lane::new()
    }
}

impl Lane {
    pub fn new() -> Lane {
        Lane { state: RwSignal::new(LaneState::Idle), inner: StoredValue::new_local(Rc::new(RefCell::new(Inner::default()))) }
    }

    /// Calls `take` with every outcome this lane finishes with, and the milliseconds it took:
    /// how a panel receives its answers. An effect of the caller's owner that tracks the lane
    /// alone: what `take` reads does not make it run again.
    pub fn on_done(&self, mut take: impl FnMut(&Outcome, f64) + 'static) {
        let state = self.state;
        Effect::new(move |_| {
            if let LaneState::Done { outcome, millis, .. } = state.get() {
                untrack(|| take(&outcome, millis));
            }
        });
    }

    fn inner(&self) -> Rc<RefCell<Inner>> {
        self.inner.with_value(Rc::clone)
    }

    /// Starts `job`, replacing whatever this lane was doing.
    pub fn start(&self, job: Job) {
        let inner = self.inner();
        let id = {
            let mut i = inner.borrow_mut();
            i.current += 1;
            if i.outstanding.is_some() {
                // Busy with a job nobody wants any more: stop it rather than wait for it.
                Self::stop(&mut i);
            }
            i.current
        };
        self.state.set(LaneState::Running { what: job.describe(), progress: Progress::default() });
        if inner.borrow().in_place {
            self.run_in_place(id, job);
            return;
        }
        let text = match serde_json::to_string(&Request { id, job: job.clone() }) {
            Ok(text) => text,
            Err(e) => return self.state.set(LaneState::Failed(format!("the job could not be written for the worker: {e}"))),
        };
        if inner.borrow().worker.is_none() && !self.spawn() {
            inner.borrow_mut().in_place = true;
            self.run_in_place(id, job);
            return;
        }
        let mut i = inner.borrow_mut();
        i.outstanding = Some((id, job));
        match (&i.worker, i.ready) {
            (Some(worker), true) => {
                if worker.post_message(&JsValue::from_str(&text)).is_err() {
                    i.pending = Some(text);
                }
            }
            _ => i.pending = Some(text),
        }
    }

    /// Shows the lane as running `what` now and starts the job `make` returns once the
    /// browser has painted: for a job that follows every edit, so the edit's re-render is not
    /// held up by writing the job out (a large estate's worlds are megabytes of JSON). Of
    /// several calls before that paint only the last one's job starts; `None` cancels.
    pub fn start_after_paint(&self, what: &'static str, make: impl FnOnce() -> Option<Job> + 'static) {
        let inner = self.inner();
        let ticket = {
            let mut i = inner.borrow_mut();
            i.current += 1;
            i.current
        };
        self.state.set(LaneState::Running { what, progress: Progress::default() });
        let lane = *self;
        crate::paint::after_next_paint(move || {
            if lane.inner().borrow().current != ticket {
                return;
            }
            match make() {
                Some(job) => lane.start(job),
                None => {
                    lane.cancel();
                    lane.state.set(LaneState::Idle);
                }
            }
        });
    }

    /// Stops the running job: the worker is terminated, its answer never comes.
    pub fn cancel(&self) {
        let inner = self.inner();
        let mut i = inner.borrow_mut();
        if i.outstanding.is_none() {
            return;
        }
        i.current += 1;
        Self::stop(&mut i);
        drop(i);
        self.state.set(LaneState::Cancelled);
    }

    fn stop(i: &mut Inner) {
        if let Some(worker) = i.worker.take() {
            worker.terminate();
        }
        i.ready = false;
        i.pending = None;
        i.outstanding = None;
        // The handlers stay until the next worker replaces them: this may run inside one.
    }

    /// Runs the job on the page's thread, after the page has shown that it runs.
    fn run_in_place(&self, id: u64, job: Job) {
        let lane = *self;
        set_timeout(
            move || {
                if lane.inner().borrow().current != id {
                    return;
                }
                let started = js_sys::Date::now();
                let outcome = run(&job, &mut |_| {});
                lane.state.set(LaneState::Done { outcome: Arc::new(outcome), millis: js_sys::Date::now() - started, in_worker: false });
            },
            Duration::from_millis(0),
        );
    }

    /// Starts a worker; false when the browser will not start one.
    fn spawn(&self) -> bool {
        let Some(url) = worker_url() else { return false };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let Ok(worker) = Worker::new_with_options(&url, &options) else { return false };
        let weak = Rc::downgrade(&self.inner());
        let lane = *self;
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(reply) = event.data().as_string().and_then(|t| serde_json::from_str::<Reply>(&t).ok()) else { return };
                lane.answer(&weak, reply);
            })
        };
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // The worker's script or wasm did not load: from now on jobs run in place.
            event.prevent_default();
            lane.give_up_worker(&weak);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let inner = self.inner();
        let mut i = inner.borrow_mut();
        i.worker = Some(worker);
        i.ready = false;
        i.handlers = Some((on_message, on_error));
        true
    }

    fn answer(&self, weak: &Weak<RefCell<Inner>>, reply: Reply) {
        let Some(inner) = weak.upgrade() else { return };
        let mut i = inner.borrow_mut();
        match reply {
            Reply::Ready => {
                i.ready = true;
                if let (Some(text), Some(worker)) = (i.pending.take(), i.worker.as_ref()) {
                    let _ = worker.post_message(&JsValue::from_str(&text));
                }
            }
            Reply::Progress { id, progress } if id == i.current => {
                drop(i);
                self.state.update(|s| {
                    if let LaneState::Running { progress: p, .. } = s {
                        *p = progress;
                    }
                });
            }
            Reply::Done { id, outcome, millis } if id == i.current => {
                i.outstanding = None;
                drop(i);
                self.state.set(LaneState::Done { outcome: Arc::new(outcome), millis, in_worker: true });
            }
            Reply::Failed { id, message } if id == i.current => {
                i.outstanding = None;
                drop(i);
                self.state.set(LaneState::Failed(message));
            }
            _ => {}
        }
    }

    fn give_up_worker(&self, weak: &Weak<RefCell<Inner>>) {
        let Some(inner) = weak.upgrade() else { return };
        let outstanding = {
            let mut i = inner.borrow_mut();
            let outstanding = i.outstanding.take();
            Self::stop(&mut i);
            i.in_place = true;
            outstanding
        };
        if let Some((id, job)) = outstanding {
            self.run_in_place(id, job);
        }
    }
}

/// The worker script's address, beside the page.
fn worker_url() -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(WORKER_SCRIPT, &base).ok().map(|u| u.href())
}
