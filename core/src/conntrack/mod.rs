//! Connection tracking (SEMANTICS §5). Being written.
