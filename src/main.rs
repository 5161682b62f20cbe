fn main() {
    // The release panics with the immediate-abort strategy (scripts/with-toolchain.sh):
    // no hook ever runs there, so only debug builds install one.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(mixpay_pos::app::App);
}
