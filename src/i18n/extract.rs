//! Reads the Chinese texts out of the source: every `zh!("…")` of `src/`
//! outside comments and test modules, in file order, once each. Shared by
//! `scripts/zh-file.rs` (`make zh-file`, which writes
//! `public/i18n/zh-Hans.txt`) and the unit test that checks the file.

use std::path::{Path, PathBuf};

/// The file's text: one Chinese text a line.
pub fn catalogue(root: &Path) -> Result<String, String> {
    let mut files = vec![];
    rust_files(&root.join("src"), &mut files).map_err(|e| e.to_string())?;
    files.sort();
    let mut texts: Vec<String> = vec![];
    for file in files {
        let source = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        for text in texts_of(&source).map_err(|e| format!("{}: {e}", file.display()))? {
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    Ok(texts.into_iter().map(|t| t + "\n").collect())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `zh!` texts of one file, up to its test module.
pub fn texts_of(source: &str) -> Result<Vec<String>, String> {
    let end = source.find("\n#[cfg(test)]\nmod tests").unwrap_or(source.len());
    let code = &source[..end];
    let mut out = vec![];
    for line_start in code.split_inclusive('\n').scan(0, |at, l| {
        let s = *at;
        *at += l.len();
        Some(s)
    }) {
        let line = &code[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let comment = line.find("//").unwrap_or(line.len());
        let mut from = 0;
        while let Some(at) = line[from..comment].find("zh!(") {
            let start = line_start + from + at + 4;
            let rest = code[start..].trim_start();
            // Not a longer name, nor "zh!(" in a string.
            let before = line[..from + at].chars().next_back();
            let macro_call = !before.is_some_and(|c| c == '"' || c == '_' || c.is_alphanumeric());
            if let Some(lit) = rest.strip_prefix('"').filter(|_| macro_call) {
                out.push(unescape(lit)?);
            }
            from += at + 4;
        }
    }
    Ok(out)
}

/// A Rust string literal's text, from after its opening quote.
fn unescape(lit: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = lit.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if out.contains(['\n', '\r']) {
                    return Err(format!("a Chinese text holds a line break: {out:?}"));
                }
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('\'') => out.push('\''),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\n') => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => return Err(format!("an escape zh! texts do not use: \\{other:?}")),
            },
            c => out.push(c),
        }
    }
    Err("a zh! text without its closing quote".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_out_as_rust_reads_them() {
        let source = "pick!(lang, \"A\", zh!(\"甲\"));\n// zh!(\"注释\")\nlet x = zh!(\n    \"乙 {a}\\\"引号\\\" \\\n     续\"; a);\n#[cfg(test)]\nmod tests { zh!(\"测试\") }\n";
        assert_eq!(texts_of(source).unwrap(), ["甲", "乙 {a}\"引号\" 续"]);
        assert!(texts_of("zh!(\"一\\n二\")").is_err());
    }
}
