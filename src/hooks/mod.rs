//! Hooks in the manner of leptos-use: one per file, each returning signals
//! and cleaning up after itself when its component goes.

pub mod use_idle_lock;
pub mod use_now;
pub mod use_sound;
pub mod use_update_ready;
pub mod use_wake_lock;

pub use use_idle_lock::use_idle_lock;
pub use use_now::use_now;
pub use use_sound::use_sound_unlock;
pub use use_update_ready::{apply_update, use_update_ready};
pub use use_wake_lock::use_wake_lock;
