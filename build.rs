//! With the `split` feature, the wasm binary is linked with its relocations
//! kept (`--emit-relocs`): wasm-split needs them to move the back office's
//! code into parts of its own (scripts/split.mjs). For the final link only,
//! so std and the dependencies are not rebuilt.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f.split(',').any(|f| f == "wasm"));
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bin=mixpay-pos=--emit-relocs");
    }
}
