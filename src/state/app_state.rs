//! The running app's shared state, provided as context by `App`. Read it
//! through the signal accessors; change it through the named methods, which
//! are the only writers.

use leptos::prelude::*;

use crate::domain::merge::merge;
use crate::domain::sale::Sale;
use crate::domain::settings::Settings;
use crate::i18n::{self, Lang};
use crate::state::language;
use crate::state::checker::{CheckerHost, Nudge, Nudger};
use crate::state::problems::{self, Problem, ProblemKind};
use crate::state::sale_lifecycle::SaleEvents;
use crate::state::owner_pin::{self, PinState};
use crate::state::{settings_store, shared_connection};

thread_local! {
    /// The language last asked for: Chinese may still be loading.
    static WANTED: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

use std::cell::Cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Reading settings and `config.json`.
    Starting,
    Settings,
    Amount,
    /// The QR and the payment's status for the sale on screen.
    Payment,
    History,
}

/// A signal of the app's state with its read half made once, handed out by
/// the accessors. Leptos' `RwSignal::read_only` puts a new node in its
/// arena at every call, owned by whatever owner is current: called from an
/// event handler (no owner), as `state.settings()` was on every tap, it is
/// never freed.
pub struct Held<T: 'static> {
    rw: RwSignal<T>,
    read: ReadSignal<T>,
}

impl<T: Send + Sync + 'static> Held<T> {
    pub fn new(value: T) -> Self {
        let rw = RwSignal::new(value);
        Held { rw, read: rw.read_only() }
    }

    pub fn read(&self) -> ReadSignal<T> {
        self.read
    }
}

impl<T> Clone for Held<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Held<T> {}

impl<T> std::ops::Deref for Held<T> {
    type Target = RwSignal<T>;
    fn deref(&self) -> &RwSignal<T> {
        &self.rw
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    settings: Held<Settings>,
    screen: Held<Screen>,
    /// The sale on screen (QR, status, result).
    sale: Held<Option<Sale>>,
    /// What the whole app must tell the cashier (storage trouble, …).
    problems: Held<Vec<Problem>>,
    /// `navigator.onLine`, kept current by the shell.
    online: Held<bool>,
    /// Why MixPay could not be reached, while it lasts (any tab's checks).
    connection: Held<Option<String>>,
    /// What MixPay keeps answering about a sale: (traceId, code, message).
    answer_trouble: Held<Option<(String, i64, String)>>,
    /// MixPay's clock minus the device's, once MixPay has answered.
    clock_offset: Held<Option<i64>>,
    /// The language on screen.
    lang: Held<Lang>,
    /// Bumped whenever a sale is recorded, for views of the history.
    revision: Held<u64>,
    nudger: StoredValue<Option<Nudger>, LocalStorage>,
    /// Whether an owner PIN guards the settings and the CSV export.
    pin: Held<PinState>,
    /// The owner typed the PIN and has not left or idled since.
    unlocked: Held<bool>,
    /// When the owner last touched the unlocked app (monotonic clock, ms).
    last_activity: StoredValue<i64>,
    /// When the app was last hidden (monotonic clock, ms), while it is.
    hidden_at: StoredValue<Option<i64>>,
    /// A recovery code just made, shown once until the owner wrote it down.
    recovery_code: Held<Option<String>>,
    /// The payee changed after the settings were reset or lost: when, and to whom.
    payee_change: Held<Option<settings_store::PayeeChange>>,
    /// What `config.json` locks on this tablet (it wins on every start).
    locks: Held<settings_store::ConfigLocks>,
    /// The settings in use were saved by the owner on this device (a first
    /// run filled from `config.json` is not, and takes no sale until it is).
    settings_saved: Held<bool>,
    /// The customer is choosing a tip: the sale has begun (Charge was tapped).
    choosing_tip: Held<bool>,
    /// Derived once (a `Signal::derive` is a new node in Leptos' arena).
    owner_access: Signal<bool>,
    pin_set: Signal<bool>,
    pin_missing: Signal<bool>,
    in_sale: Signal<bool>,
    /// Other long-lived signals to let go of departed readers (`release_readers`).
    releasers: StoredValue<Vec<Box<dyn Fn()>>, LocalStorage>,
}

impl AppState {
    pub fn new() -> Self {
        let pin = Held::new(PinState::None);
        let unlocked = Held::new(false);
        let screen = Held::new(Screen::Starting);
        let choosing_tip = Held::new(false);
        AppState {
            settings: Held::new(Settings::default()),
            screen,
            sale: Held::new(None),
            problems: Held::new(vec![]),
            online: Held::new(true),
            connection: Held::new(None),
            answer_trouble: Held::new(None),
            clock_offset: Held::new(None),
            lang: Held::new(i18n::current()),
            revision: Held::new(0),
            nudger: StoredValue::new_local(None),
            pin,
            unlocked,
            last_activity: StoredValue::new(0),
            hidden_at: StoredValue::new(None),
            recovery_code: Held::new(None),
            payee_change: Held::new(settings_store::payee_change()),
            locks: Held::new(settings_store::ConfigLocks::default()),
            settings_saved: Held::new(false),
            choosing_tip,
            owner_access: Signal::derive(move || pin.with(|p| *p == PinState::None) || unlocked.get()),
            pin_set: Signal::derive(move || pin.with(|p| *p != PinState::None)),
            pin_missing: Signal::derive(move || pin.with(|p| *p == PinState::Missing)),
            in_sale: Signal::derive(move || screen.get() == Screen::Payment || choosing_tip.get()),
            releasers: StoredValue::new_local(vec![]),
        }
    }

    pub fn expect() -> Self {
        expect_context::<AppState>()
    }

    // ---- Reading

    pub fn settings(&self) -> ReadSignal<Settings> {
        self.settings.read()
    }
    pub fn screen(&self) -> ReadSignal<Screen> {
        self.screen.read()
    }
    pub fn sale(&self) -> ReadSignal<Option<Sale>> {
        self.sale.read()
    }
    pub fn problems(&self) -> ReadSignal<Vec<Problem>> {
        self.problems.read()
    }
    pub fn online(&self) -> ReadSignal<bool> {
        self.online.read()
    }
    pub fn connection(&self) -> ReadSignal<Option<String>> {
        self.connection.read()
    }
    /// What MixPay keeps answering about a sale: (traceId, code, message).
    pub fn answer_trouble(&self) -> ReadSignal<Option<(String, i64, String)>> {
        self.answer_trouble.read()
    }
    pub fn clock_offset(&self) -> ReadSignal<Option<i64>> {
        self.clock_offset.read()
    }
    pub fn lang(&self) -> ReadSignal<Lang> {
        self.lang.read()
    }
    pub fn revision(&self) -> ReadSignal<u64> {
        self.revision.read()
    }

    /// Whether the settings and the CSV export may be shown now: no PIN
    /// set, or the owner unlocked them.
    pub fn owner_access(&self) -> Signal<bool> {
        self.owner_access
    }
    pub fn pin_set(&self) -> Signal<bool> {
        self.pin_set
    }
    /// Whether the PIN guarding the settings is gone from the device.
    pub fn pin_missing(&self) -> Signal<bool> {
        self.pin_missing
    }
    pub fn recovery_code(&self) -> ReadSignal<Option<String>> {
        self.recovery_code.read()
    }
    pub fn payee_change(&self) -> ReadSignal<Option<settings_store::PayeeChange>> {
        self.payee_change.read()
    }
    pub fn locks(&self) -> ReadSignal<settings_store::ConfigLocks> {
        self.locks.read()
    }
    pub fn settings_saved(&self) -> ReadSignal<bool> {
        self.settings_saved.read()
    }
    /// A sale is under way: from Charge (the tip screen, then the QR) until
    /// its outcome is left. The shell hides the navigation meanwhile.
    pub fn in_sale(&self) -> Signal<bool> {
        self.in_sale
    }

    // ---- Changing

    /// Reads the PIN's state from the device (at start, after a change here
    /// or in another tab).
    pub fn refresh_pin(&self) {
        let now = owner_pin::load();
        if self.pin.with_untracked(|p| *p != now) {
            self.pin.set(now);
        }
    }

    pub fn unlock(&self) {
        self.last_activity.set_value(crate::clock::monotonic_ms());
        self.unlocked.set(true);
    }

    /// A new PIN was set: its recovery code is shown once.
    pub fn show_recovery_code(&self, code: Option<String>) {
        self.recovery_code.set(code);
    }

    /// The payee-change banner, as the device now has it.
    pub fn refresh_payee_change(&self) {
        let now = settings_store::payee_change();
        if self.payee_change.with_untracked(|c| *c != now) {
            self.payee_change.set(now);
        }
    }

    /// What `config.json` locked at this start.
    pub fn set_locks(&self, locks: settings_store::ConfigLocks) {
        self.locks.set(locks);
    }

    /// The app was hidden (`false`) or shown again: back after more than
    /// `domain::pin::HIDDEN_LOCK_MS` hidden, the owner's screens are locked.
    pub fn visibility_changed(&self, visible: bool) {
        let now = crate::clock::monotonic_ms();
        if !visible {
            self.hidden_at.set_value(Some(now));
        } else if let Some(at) = self.hidden_at.get_value() {
            self.hidden_at.set_value(None);
            if crate::domain::pin::hidden_too_long(at, now) {
                self.lock();
            }
        }
    }

    pub fn lock(&self) {
        if self.unlocked.get_untracked() {
            self.unlocked.set(false);
        }
    }

    /// The owner did something: the idle lock starts counting again.
    pub fn touched(&self) {
        if self.unlocked.get_untracked() {
            self.last_activity.set_value(crate::clock::monotonic_ms());
        }
    }

    /// Locks if the unlocked app has been idle too long (`now_ms` monotonic).
    pub fn lock_if_idle(&self, now_ms: i64) {
        if self.unlocked.get_untracked()
            && crate::domain::pin::idle_expired(self.last_activity.get_value(), now_ms)
        {
            self.unlocked.set(false);
        }
    }

    /// Settings read from the device's store at start.
    pub fn use_saved_settings(&self, settings: Settings) {
        self.settings.set(settings);
        self.settings_saved.set(true);
    }

    /// Lets the app's long-lived signals forget the readers of screens gone.
    ///
    /// Leptos 0.8 takes an effect or memo off a signal's list of subscribers
    /// only when that reader runs again; one that is dropped with its screen
    /// never does, so it stays on the list of every signal it read (and
    /// keeps its memory) for as long as the signal lives. For the app's own
    /// signals, which live all day, that was every screen of every sale
    /// (about 6 KB of wasm memory a sale, issue 26). `release` empties a
    /// signal's list and marks each reader on it dirty: the dropped ones are
    /// gone for good, those still on screen run again, see the same values,
    /// and subscribe again (nothing is redrawn). Done at each change of
    /// screen, so the lists hold at most the screens of the moment.
    fn release_readers(&self) {
        release(&self.settings);
        release(&self.screen);
        release(&self.sale);
        release(&self.problems);
        release(&self.online);
        release(&self.connection);
        release(&self.answer_trouble);
        release(&self.clock_offset);
        release(&self.lang);
        release(&self.revision);
        release(&self.pin);
        release(&self.unlocked);
        release(&self.recovery_code);
        release(&self.payee_change);
        release(&self.locks);
        release(&self.settings_saved);
        release(&self.choosing_tip);
        self.releasers.with_value(|list| list.iter().for_each(|release| release()));
    }

    /// Also calls `release` whenever the app's own signals let go of
    /// departed readers (for long-lived signals kept elsewhere: products, cart).
    pub fn also_release(&self, release: impl Fn() + 'static) {
        self.releasers.update_value(|list| list.push(Box::new(release)));
    }

    fn set_screen(&self, screen: Screen) {
        self.release_readers();
        self.screen.set(screen);
    }

    pub fn go(&self, screen: Screen) {
        // Leaving the owner's screens locks them again.
        if screen != Screen::Settings {
            self.lock();
        }
        self.set_screen(screen);
    }

    /// Puts a sale on screen; a sale starting locks the owner's screens.
    pub fn show_sale(&self, sale: Sale) {
        self.lock();
        self.sale.set(Some(sale));
        self.set_screen(Screen::Payment);
    }

    /// The tip screen opened (`true`) or closed: Back, the sale charged, or
    /// the keypad's page gone.
    pub fn set_choosing_tip(&self, open: bool) {
        // Quiet when nothing changes, and safe at teardown (disposed: no-op).
        self.choosing_tip.maybe_update(|v| std::mem::replace(v, open) != open);
    }

    /// Leaves the sale on screen for the keypad.
    pub fn leave_sale(&self) {
        self.sale.set(None);
        self.set_screen(Screen::Amount);
    }

    /// Uses `settings` from now on (already saved, or from another tab).
    pub fn use_settings(&self, settings: Settings) {
        self.settings.set(settings);
    }

    /// Saves the owner's settings, uses them, and opens the keypad.
    pub fn save_settings(&self, settings: Settings) {
        if let Err(e) = settings_store::save(&settings) {
            self.report(Problem::Storage(e));
        }
        self.settings.set(settings);
        self.settings_saved.set(true);
        settings_store::ask_persistent_storage();
        self.lock();
        self.set_screen(Screen::Amount);
    }

    pub fn report(&self, problem: Problem) {
        // The same problem again (every check may meet it) changes nothing on screen.
        if self
            .problems
            .with_untracked(|list| !list.contains(&problem))
        {
            self.problems.update(|list| problems::add(list, problem));
        }
    }

    pub fn dismiss(&self, kind: ProblemKind) {
        self.problems
            .update(|list| list.retain(|p| p.kind() != kind));
    }

    pub fn set_online(&self, online: bool) {
        self.online.set(online);
        if online {
            // Back online: let the next check say how MixPay is.
            self.set_connection(None);
            self.nudge(Nudge::Hurry);
        }
    }

    /// Connection trouble as this tab saw it, told to the other tabs too.
    pub fn set_connection(&self, trouble: Option<String>) {
        shared_connection::publish(trouble.as_deref());
        self.connection_from_elsewhere(trouble);
    }

    /// Connection trouble as another tab saw it.
    pub fn connection_from_elsewhere(&self, trouble: Option<String>) {
        if self.connection.with_untracked(|c| c != &trouble) {
            self.connection.set(trouble);
        }
    }

    /// Shows `lang` from now on. `remember`: the owner picked it here, so it
    /// is kept on the device (another tab's choice is already kept).
    pub fn set_lang(&self, lang: Lang, remember: bool) {
        WANTED.with(|w| w.set(lang));
        if lang == Lang::ZhHans && !i18n::zh::loaded() {
            // English stays on screen until the Chinese words are in.
            let state = *self;
            leptos::task::spawn_local(async move {
                match crate::state::zh_file::load().await {
                    // Unless English was chosen again meanwhile.
                    Ok(()) if WANTED.with(Cell::get) == Lang::ZhHans => {
                        state.dismiss(ProblemKind::ChineseUnavailable);
                        state.set_lang(Lang::ZhHans, remember);
                    }
                    Ok(()) | Err(crate::state::zh_file::NotLoaded::Fetching) => {}
                    Err(crate::state::zh_file::NotLoaded::Failed) => {
                        state.report(Problem::ChineseUnavailable);
                        language::show_in_select(state.lang.get_untracked());
                    }
                }
            });
            return;
        }
        // The catalogue's current language first: errors worded from here on,
        // and views re-run by the signal, read it.
        i18n::set_current(lang);
        language::mark_document(lang);
        if remember {
            if let Err(e) = language::remember(lang) {
                self.report(Problem::Storage(e));
            }
        }
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
    }

    pub fn set_clock_offset(&self, offset: Option<i64>) {
        self.clock_offset.set(offset);
    }

    pub fn set_nudger(&self, nudger: Nudger) {
        self.nudger.set_value(Some(nudger));
    }

    /// Tells the checker that sales changed or the sale on screen needs a look now.
    pub fn nudge(&self, nudge: Nudge) {
        self.nudger.with_value(|n| {
            if let Some(n) = n {
                let _ = n.unbounded_send(nudge);
            }
        });
    }

    /// Why a new sale cannot start now: only while the network itself is
    /// known to be down (an error answer about one sale is not that).
    pub fn offline_reason(&self) -> Option<String> {
        if !self.online.get_untracked() {
            return Some(i18n::no_network(i18n::current()));
        }
        if self.connection.with_untracked(Option::is_some) {
            return Some(i18n::mixpay_unreachable(i18n::current()));
        }
        None
    }

    /// Replaces the sale on screen with a newer record of the same sale.
    /// Merged with the copy on screen: a stray older record (another tab's
    /// Cancel of a sale this tab shows Paid) never turns the screen back.
    fn show_if_on_screen(&self, sale: &Sale) {
        let merged = self.sale.with_untracked(|s| {
            s.as_ref()
                .filter(|s| s.trace_id == sale.trace_id)
                .map(|shown| merge(shown, sale))
        });
        if let Some(merged) = merged {
            if self.sale.with_untracked(|s| s.as_ref() != Some(&merged)) {
                self.sale.set(Some(merged));
            }
        }
    }
}

/// Empties `signal`'s list of subscribers, marking each dirty: the readers
/// still alive run again and subscribe again, those dropped are forgotten
/// (see `AppState::release_readers`). A plain `notify` would leave the list
/// as it is.
pub fn release<T: Send + Sync + 'static>(signal: &RwSignal<T>) {
    use leptos::reactive::graph::{ReactiveNode, ToAnySource};
    if !signal.is_disposed() {
        signal.to_any_source().mark_dirty();
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl SaleEvents for AppState {
    fn recorded(&self, sale: &Sale) {
        self.show_if_on_screen(sale);
        self.revision.update(|r| *r += 1);
        self.nudge(Nudge::Changed);
    }

    fn problem(&self, problem: Problem) {
        self.report(problem);
    }

    fn on_screen(&self, trace_id: &str) -> bool {
        self.sale.with_untracked(|s| s.as_ref().is_some_and(|s| s.trace_id == trace_id))
    }
}

impl CheckerHost for AppState {
    fn api_base(&self) -> String {
        self.settings.with_untracked(|s| s.api_base.clone())
    }

    fn sale_on_screen(&self) -> Option<Sale> {
        self.sale.get_untracked()
    }

    fn visible(&self) -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
    }

    fn connection(&self, trouble: Option<String>) {
        self.set_connection(trouble);
    }

    fn answer_trouble(&self, trace_id: &str, trouble: Option<(i64, String)>) {
        let shown = self
            .answer_trouble
            .with_untracked(|t| t.as_ref().is_some_and(|(id, _, _)| id == trace_id));
        match trouble {
            Some((code, message)) => {
                let new = Some((trace_id.to_string(), code, message));
                if self.answer_trouble.with_untracked(|t| *t != new) {
                    self.answer_trouble.set(new);
                }
            }
            None if shown => self.answer_trouble.set(None),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `release` empties a signal's list of readers: a reader still alive
    /// must come back on it and keep following the signal.
    #[test]
    fn a_released_signal_keeps_its_live_readers() {
        let owner = Owner::new();
        owner.set();
        let signal = RwSignal::new(1);
        let doubled = Memo::new(move |_| signal.get() * 2);
        assert_eq!(doubled.get(), 2);
        release(&signal);
        assert_eq!(doubled.get(), 2);
        signal.set(5);
        assert_eq!(doubled.get(), 10);
        release(&signal);
        signal.set(7);
        assert_eq!(doubled.get(), 14);
    }

    /// The accessors hand out the same read half every time (a new one per
    /// call was a node in Leptos' arena that an event handler never freed).
    #[test]
    fn held_hands_out_one_read_signal() {
        let owner = Owner::new();
        owner.set();
        let held = Held::new(3);
        assert!(held.read() == held.read());
        held.set(4);
        assert_eq!(held.read().get_untracked(), 4);
    }
}
