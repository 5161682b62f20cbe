//! Short tones synthesised with the Web Audio API (no audio files) and a
//! vibration, on Paid and on a failed or wrong payment. Browsers let a page
//! play sound only after a user gesture: the shell calls `unlock` on taps
//! and key presses, which creates (or resumes) the one AudioContext.

use std::cell::{Cell, RefCell};

use web_sys::{AudioContext, AudioContextState, OscillatorType};

thread_local! {
    static CONTEXT: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
    /// A gesture happened in this page: before one, Chrome blocks (and logs)
    /// `navigator.vibrate`, e.g. for a verdict that lands right after a reload.
    static TAPPED: Cell<bool> = const { Cell::new(false) };
}

/// What the cashier should hear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// A rising two-note chime.
    Paid,
    /// Three low buzzes: a payment that failed or does not match.
    Warning,
}

impl Cue {
    /// (waveform, frequency in Hz, start offset in s, length in s) of each tone.
    fn tones(self) -> &'static [(OscillatorType, f32, f64, f64)] {
        match self {
            Cue::Paid => &[
                (OscillatorType::Sine, 880.0, 0.0, 0.14),
                (OscillatorType::Sine, 1318.5, 0.12, 0.28),
            ],
            Cue::Warning => &[
                (OscillatorType::Square, 220.0, 0.0, 0.18),
                (OscillatorType::Square, 220.0, 0.26, 0.18),
                (OscillatorType::Square, 165.0, 0.52, 0.32),
            ],
        }
    }

    /// `navigator.vibrate` pattern, in ms.
    fn vibration(self) -> &'static [u32] {
        match self {
            Cue::Paid => &[80],
            Cue::Warning => &[200, 100, 200, 100, 300],
        }
    }
}

/// Makes sound possible: called from a user gesture. Creates the context on
/// the first one and resumes it if the browser suspended it since.
pub fn unlock() {
    TAPPED.with(|t| t.set(true));
    CONTEXT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            // No Web Audio (or refused): the app stays silent, nothing else changes.
            *c = AudioContext::new().ok();
        }
        if let Some(ctx) = c.as_ref() {
            if ctx.state() == AudioContextState::Suspended {
                let _ = ctx.resume();
            }
        }
    });
}

/// Whether a gesture has made sound possible and the context is running.
pub fn is_unlocked() -> bool {
    CONTEXT.with(|c| {
        c.borrow()
            .as_ref()
            .is_some_and(|ctx| ctx.state() == AudioContextState::Running)
    })
}

/// Plays `cue` (if a gesture unlocked sound) and vibrates where the device
/// can (also only after a gesture).
pub fn play(cue: Cue) {
    CONTEXT.with(|c| {
        if let Some(ctx) = c.borrow().as_ref() {
            let _ = schedule(ctx, cue);
        }
    });
    if !TAPPED.with(Cell::get) {
        return;
    }
    if let Some(w) = web_sys::window() {
        let navigator = w.navigator();
        // Not every browser has it (Safari has none): look before calling.
        if js_sys::Reflect::has(&navigator, &"vibrate".into()).unwrap_or(false) {
            let pattern: js_sys::Array = cue
                .vibration()
                .iter()
                .map(|ms| wasm_bindgen::JsValue::from(*ms))
                .collect();
            let _ = navigator.vibrate_with_pattern(&pattern);
        }
    }
}

/// Each tone is an oscillator through a gain with a short attack and an
/// exponential fade, so it neither clicks nor rings on.
fn schedule(ctx: &AudioContext, cue: Cue) -> Result<(), wasm_bindgen::JsValue> {
    let now = ctx.current_time();
    for &(kind, hz, offset, length) in cue.tones() {
        let (start, end) = (now + offset, now + offset + length);
        let osc = ctx.create_oscillator()?;
        osc.set_type(kind);
        osc.frequency().set_value(hz);
        let gain = ctx.create_gain()?;
        let level = if kind == OscillatorType::Square {
            0.08
        } else {
            0.25
        };
        gain.gain().set_value_at_time(0.0001, start)?;
        gain.gain()
            .exponential_ramp_to_value_at_time(level, start + 0.02)?;
        gain.gain().exponential_ramp_to_value_at_time(0.0001, end)?;
        osc.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&ctx.destination())?;
        osc.start_with_when(start)?;
        osc.stop_with_when(end + 0.02)?;
    }
    Ok(())
}
