//! `rename_all` cases, spelled as serde spells them.

/// A naming convention for stored attribute names.
#[derive(Clone, Copy)]
pub enum Case {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl Case {
    /// Every accepted spelling, for the error message of an unknown one.
    pub const NAMES: &'static str = "\"lowercase\", \"UPPERCASE\", \"PascalCase\", \"camelCase\", \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"SCREAMING-KEBAB-CASE\"";

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// Renames a Rust identifier written in snake_case (fields) or
    /// PascalCase (enum variants).
    pub fn apply(self, ident: &str) -> String {
        let words = split_words(ident);
        let capitalized = || words.iter().map(|w| capitalize(w)).collect::<String>();
        match self {
            Self::Lower => words.concat(),
            Self::Upper => words.concat().to_uppercase(),
            Self::Pascal => capitalized(),
            Self::Camel => {
                let mut out = capitalized();
                if let Some(first) = words.first() {
                    out.replace_range(..first.len(), first);
                }
                out
            }
            Self::Snake => words.join("_"),
            Self::ScreamingSnake => words.join("_").to_uppercase(),
            Self::Kebab => words.join("-"),
            Self::ScreamingKebab => words.join("-").to_uppercase(),
        }
    }
}

/// Lower-case words of `snake_case` or `PascalCase` identifiers.
fn split_words(ident: &str) -> Vec<String> {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let mut words = Vec::new();
    for part in ident.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        for c in part.chars() {
            if c.is_uppercase() && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.extend(c.to_lowercase());
        }
        words.push(word);
    }
    words
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn fields_and_variants() {
        assert_eq!(Case::Camel.apply("created_at"), "createdAt");
        assert_eq!(Case::Pascal.apply("created_at"), "CreatedAt");
        assert_eq!(Case::ScreamingSnake.apply("created_at"), "CREATED_AT");
        assert_eq!(Case::Kebab.apply("created_at"), "created-at");
        assert_eq!(Case::Lower.apply("created_at"), "createdat");
        assert_eq!(Case::Snake.apply("InProgress"), "in_progress");
        assert_eq!(Case::Camel.apply("InProgress"), "inProgress");
        assert_eq!(Case::Camel.apply("id"), "id");
    }
}
