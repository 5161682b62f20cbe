//! With the `split` feature, the wasm binary is linked with its relocations
//! kept (`--emit-relocs`): wasm-split needs them to move the back office's
//! code into parts of its own (scripts/split.mjs). For the final link only,
//! so std and the dependencies are not rebuilt.
//!
//! And it writes `public/i18n/zh-Hans.txt`, the Chinese words, from the
//! `zh!("…")` texts of `src/` (see `src/i18n/zh.rs`). When the file had to
//! change, the build stops once: a Trunk build copies `public/` while cargo
//! runs, so this build's `dist/` would have the old file.

#[path = "src/i18n/extract.rs"]
mod extract;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f.split(',').any(|f| f == "wasm"));
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bin=mixpay-pos=--emit-relocs");
    }
    chinese_file();
}

fn chinese_file() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=public/i18n/zh-Hans.txt");
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let text = extract::catalogue(&root).unwrap_or_else(|e| panic!("reading the Chinese texts of src/: {e}"));
    let path = root.join("public/i18n/zh-Hans.txt");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("public/i18n/ can be made");
        std::fs::write(&path, &text).expect("public/i18n/zh-Hans.txt can be written");
        panic!("public/i18n/zh-Hans.txt was written anew from the zh!(…) texts of src/: build again (and commit it)");
    }
}
