//! A small command-line parser: `mfp COMMAND --flag value --switch ...`, with every flag known
//! in advance so that a typo is an error, not a silently ignored option.

use std::collections::HashMap;
use std::str::FromStr;

/// A flag and whether it takes a value.
#[derive(Clone, Copy)]
pub struct Flag {
    pub name: &'static str,
    pub takes_value: bool,
    pub help: &'static str,
}

pub const fn value(name: &'static str, help: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
        help,
    }
}

pub const fn switch(name: &'static str, help: &'static str) -> Flag {
    Flag {
        name,
        takes_value: false,
        help,
    }
}

/// Parsed flags of one command.
pub struct Args {
    values: HashMap<&'static str, String>,
}

impl Args {
    pub fn parse(argv: &[String], flags: &[Flag]) -> Result<Args, String> {
        let mut values = HashMap::new();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            let name = a
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument \"{a}\" (flags start with --)"))?;
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            let flag = flags.iter().find(|f| f.name == name).ok_or_else(|| {
                let known: Vec<String> = flags.iter().map(|f| format!("--{}", f.name)).collect();
                format!("unknown flag --{name} (known: {})", known.join(" "))
            })?;
            let v = if flag.takes_value {
                match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("--{name} needs a value"))?,
                }
            } else {
                String::new()
            };
            if values.insert(flag.name, v).is_some() {
                return Err(format!("--{name} is given twice"));
            }
        }
        Ok(Args { values })
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.str(name)
            .ok_or_else(|| format!("--{name} is required"))
    }

    pub fn get<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.values.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("--{name} {v}: not a valid value")),
        }
    }
}

/// Help text for a command's flags.
pub fn usage(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| {
            let v = if f.takes_value { " X" } else { "" };
            format!("  --{}{v:<4} {}", f.name, f.help)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
