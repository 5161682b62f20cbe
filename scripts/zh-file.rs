//! `make zh-file`: writes `public/i18n/zh-Hans.txt`, the Chinese words, from
//! the `zh!("…")` texts of `src/` (one a line, in source order), with the
//! same reader as the unit test that checks the file
//! (`i18n::zh::tests::the_file_is_the_source_s_chinese`). A plain native
//! program built by `rustc` alone: it must run when the app does not compile,
//! which is what a `zh!` text missing from the file does.
//!
//!   zh-file [ROOT]   ROOT: the repository (default: the current folder)

#[path = "../src/i18n/extract.rs"]
mod extract;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let text = match extract::catalogue(&root) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("zh-file: reading the Chinese texts of src/: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = root.join("public/i18n/zh-Hans.txt");
    let lines = text.lines().count();
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        println!("zh-file: {} already holds the {lines} texts of src/", path.display());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::create_dir_all(path.parent().expect("a folder")).and_then(|()| std::fs::write(&path, &text)) {
        eprintln!("zh-file: writing {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!("zh-file: {} written, {lines} texts (commit it with the source)", path.display());
    ExitCode::SUCCESS
}
