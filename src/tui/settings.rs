//! What the UI remembers between runs (the theme), in a small JSON file in
//! the user's config directory: `$XDG_CONFIG_HOME/iamscope/config.json`,
//! else `$HOME/.config/iamscope/config.json` (the XDG Base Directory
//! specification's default). Never in a workspace: iamscope does not write
//! to the folders it reads. A file that cannot be read is a warning, never
//! a reason not to start; the UI asks the loop to write it (an `Effect`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::theme::Palette;

/// The remembered settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub theme: Option<Palette>,
}

/// The file's format, versioned so a later one can tell.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    theme: Option<String>,
}

const VERSION: u32 = 1;

/// Where the file is, from `XDG_CONFIG_HOME` and `HOME` (an empty or
/// relative `XDG_CONFIG_HOME` is ignored, as the specification says).
pub fn path_from(xdg_config_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let base = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            home.map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".config"))
        })?;
    Some(base.join("iamscope").join("config.json"))
}

/// The file's place for this process.
pub fn path() -> Option<PathBuf> {
    path_from(
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

/// The settings in `path`: none when there is no file, a one-line reason
/// when it cannot be read.
pub fn load(path: &Path) -> Result<Settings, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(format!("{}: {e}; using the defaults", path.display())),
    };
    let file: File = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not a settings file ({e}); using the defaults",
            path.display()
        )
    })?;
    if file.version != VERSION {
        return Err(format!(
            "{}: settings version {} (this iamscope reads {VERSION}); using the defaults",
            path.display(),
            file.version
        ));
    }
    let theme = match file.theme {
        None => None,
        Some(name) => Some(Palette::parse(&name).ok_or_else(|| {
            format!(
                "{}: unknown theme \"{name}\" (default, high-contrast, light); using the defaults",
                path.display()
            )
        })?),
    };
    Ok(Settings { theme })
}

/// Writes `settings` to `path`, creating its folder, unless `path` is inside
/// `workspace` (a folder the tool reads and never writes).
pub fn save(path: &Path, settings: &Settings, workspace: Option<&Path>) -> Result<(), String> {
    if workspace.is_some_and(|w| inside(path, w)) {
        return Err(format!(
            "{} is inside the workspace; iamscope never writes there",
            path.display()
        ));
    }
    let file = File {
        version: VERSION,
        theme: settings.theme.map(|p| p.name().to_string()),
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether `path` (perhaps not written yet) lies in `folder`, links resolved
/// where they exist.
pub fn inside(path: &Path, folder: &Path) -> bool {
    let resolve = |p: &Path| -> PathBuf {
        // The deepest existing ancestor, canonical, with the rest appended.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
        for part in rest.iter().rev() {
            if part == ".." {
                out.pop();
            } else if part != "." {
                out.push(part);
            }
        }
        out
    };
    let folder = resolve(folder);
    let folder = if folder.is_file() {
        folder.parent().map(Path::to_path_buf).unwrap_or(folder)
    } else {
        folder
    };
    resolve(path).starts_with(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("iamscope-settings-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    #[test]
    fn xdg_config_home_wins_then_home_dot_config() {
        assert_eq!(
            path_from(Some("/x/conf".into()), Some("/home/u".into())),
            Some(PathBuf::from("/x/conf/iamscope/config.json"))
        );
        assert_eq!(
            path_from(None, Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.config/iamscope/config.json"))
        );
        // "If an incorrect [relative] path is set, it should be ignored."
        assert_eq!(
            path_from(Some("relative".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.config/iamscope/config.json"))
        );
        assert_eq!(path_from(Some("".into()), None), None);
    }

    #[test]
    fn a_theme_written_reads_back_and_no_file_is_the_defaults() {
        let dir = scratch("roundtrip");
        let path = dir.join("iamscope").join("config.json");
        assert_eq!(load(&path), Ok(Settings::default()));
        let settings = Settings {
            theme: Some(Palette::Light),
        };
        save(&path, &settings, None).expect("written");
        assert_eq!(load(&path), Ok(settings));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_file_is_one_line_naming_it() {
        let dir = scratch("bad");
        let path = dir.join("config.json");
        for text in [
            "{ not json",
            r#"{"version": 1, "theme": "solarized"}"#,
            r#"{"version": 9}"#,
            r#"{"version": 1, "colour": "red"}"#,
        ] {
            std::fs::write(&path, text).expect("write");
            let error = load(&path).expect_err(text);
            assert!(!error.contains('\n'), "{error}");
            assert!(error.contains("config.json"), "{error}");
            assert!(error.ends_with("using the defaults"), "{error}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn nothing_is_written_inside_the_workspace() {
        let dir = scratch("workspace");
        let path = dir.join("sub").join("config.json");
        let error = save(&path, &Settings::default(), Some(&dir)).expect_err("refused");
        assert!(error.contains("inside the workspace"), "{error}");
        assert!(!path.exists());
        assert!(inside(&dir.join("a/../b.json"), &dir));
        assert!(!inside(&dir.join("../b.json"), &dir));
        assert!(!inside(Path::new("/elsewhere/x.json"), &dir));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
