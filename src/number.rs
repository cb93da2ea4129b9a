//! Exact numbers as they appear in table cells: parsing (sign, thousands separators,
//! full-width digits, decimals, unit suffix), exact decimal arithmetic (no floating point),
//! and writing a new value back in the style of the cell it replaces.

use std::cmp::Ordering;
use std::fmt;

/// An exact decimal: `mantissa × 10^-scale`. A cell holds at most `MAX_DIGITS` digits, so
/// aligning two cells' decimals needs at most 36 digits and sums of thousands of cells fit
/// the 38 digits of an `i128`; arithmetic is checked all the same (an overflowing sum is
/// "not a number", never a wrong one).
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// The largest number of digits a cell may hold and still count as a number; a computed
/// value with more is never written into a cell (reportlint would not read it back).
pub const MAX_DIGITS: usize = 18;

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    pub fn new(mantissa: i128, scale: u32) -> Decimal {
        Decimal { mantissa, scale }
    }

    pub fn from_integer(value: i64) -> Decimal {
        Decimal::new(i128::from(value), 0)
    }

    /// How many digits the value is written with (`-12.50` has 4): a value with more than
    /// `MAX_DIGITS` cannot be written into a cell.
    pub fn digits(self) -> usize {
        let integer_digits = self
            .mantissa
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |log| log as usize + 1);
        integer_digits.max(self.scale as usize + 1)
    }

    /// How many digits follow the decimal point.
    pub fn scale(self) -> u32 {
        self.scale
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// True when the value has no fractional part (`3`, `3.00`).
    pub fn is_integer(self) -> bool {
        10i128
            .checked_pow(self.scale)
            .is_none_or(|factor| self.mantissa % factor == 0)
    }

    fn rescaled(self, scale: u32) -> Option<i128> {
        let factor = 10i128.checked_pow(scale.checked_sub(self.scale)?)?;
        self.mantissa.checked_mul(factor)
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let sum = self.rescaled(scale)?.checked_add(other.rescaled(scale)?)?;
        Some(Decimal::new(sum, scale))
    }

    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(Decimal::new(other.mantissa.checked_neg()?, other.scale))
    }

    /// The same value written with at least `scale` decimals.
    pub fn with_min_scale(self, scale: u32) -> Decimal {
        if scale <= self.scale {
            return self;
        }
        match self.rescaled(scale) {
            Some(mantissa) => Decimal::new(mantissa, scale),
            None => self,
        }
    }

    /// The value without trailing zero decimals (`3.10` becomes `3.1`).
    pub fn normalized(self) -> Decimal {
        let mut value = self;
        while value.scale > 0 && value.mantissa % 10 == 0 {
            value.mantissa /= 10;
            value.scale -= 1;
        }
        value
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl std::hash::Hash for Decimal {
    /// Equal values hash alike however many trailing zeros they were written with.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let normalized = self.normalized();
        normalized.mantissa.hash(state);
        normalized.scale.hash(state);
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        // Aligned exactly where that fits (always, for values read from cells); otherwise the
        // integer parts decide first, then the fractions digit by digit.
        let scale = self.scale.max(other.scale);
        match (self.rescaled(scale), other.rescaled(scale)) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => self.slow_cmp(other),
        }
    }
}

impl Decimal {
    /// Compares values whose alignment would overflow: by sign, then by their digits.
    fn slow_cmp(&self, other: &Decimal) -> Ordering {
        let sign = |value: &Decimal| value.mantissa.signum();
        if sign(self) != sign(other) {
            return sign(self).cmp(&sign(other));
        }
        let magnitude = |value: &Decimal| {
            let digits = value.mantissa.unsigned_abs().to_string();
            let scale = value.scale as usize;
            let padded = format!("{digits:0>width$}", width = scale + 1);
            let (integer, fraction) = padded.split_at(padded.len() - scale);
            (
                integer.to_string(),
                fraction.trim_end_matches('0').to_string(),
            )
        };
        let (left, right) = (magnitude(self), magnitude(other));
        let by_magnitude = left
            .0
            .len()
            .cmp(&right.0.len())
            .then_with(|| left.0.cmp(&right.0))
            .then_with(|| left.1.cmp(&right.1));
        if self.mantissa < 0 {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}

impl fmt::Display for Decimal {
    /// Plain ASCII digits, `-` for negatives, `scale` decimals.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(formatter, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (integer, fraction) = padded.split_at(padded.len() - scale);
        write!(formatter, "{sign}{integer}.{fraction}")
    }
}

/// How a number was written, so that a replacement can be written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberStyle {
    /// An explicit `+` on a positive value (`+23`).
    pub plus_sign: bool,
    /// Groups of three digits separated by `,` (`1,234`).
    pub thousands: bool,
    /// Digits written as full-width characters (`１２`).
    pub full_width: bool,
    /// Separators and decimal point written full-width (`３，５００．０`).
    pub full_width_punctuation: bool,
    /// The unit after the digits, such as `万元` or `%`: an index into `UNITS` plus one, 0
    /// for none (a byte, not a string: tables hold millions of cells).
    unit: u8,
    /// A space between the digits and the unit (`12 万元`).
    space_before_unit: bool,
}

impl NumberStyle {
    /// The unit as written, if any.
    pub fn unit(&self) -> Option<&'static str> {
        usize::from(self.unit)
            .checked_sub(1)
            .and_then(|index| UNITS.get(index))
            .copied()
    }
}

/// A number read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    /// The value as `mantissa × 10^-scale`, stored in 9 bytes rather than a `Decimal`'s 32:
    /// a cell's at most `MAX_DIGITS` digits fit an `i64` (tables hold millions of cells).
    mantissa: i64,
    scale: u8,
    pub style: NumberStyle,
}

impl Number {
    /// The value, for arithmetic.
    pub fn value(&self) -> Decimal {
        Decimal::new(i128::from(self.mantissa), u32::from(self.scale))
    }

    /// A template for `format_like` that writes whole numbers in this number's style.
    pub fn whole_style(&self) -> Number {
        Number {
            mantissa: 0,
            scale: 0,
            style: self.style,
        }
    }

    /// The mantissa, and the scale and style packed into `PACKED_BITS` bits: how a table
    /// stores a cell's number in 12 bytes.
    pub(crate) fn packed(&self) -> (i64, u16) {
        let style = &self.style;
        let flags = [
            style.plus_sign,
            style.thousands,
            style.full_width,
            style.full_width_punctuation,
            style.space_before_unit,
        ]
        .iter()
        .enumerate()
        .fold(0u16, |bits, (index, &flag)| bits | u16::from(flag) << index);
        let rest = u16::from(style.unit) << 5 | u16::from(self.scale) << 10;
        (self.mantissa, flags | rest)
    }

    /// The number `packed` returned the parts of.
    pub(crate) fn unpacked(mantissa: i64, bits: u16) -> Number {
        let flag = |index: u16| bits >> index & 1 == 1;
        Number {
            mantissa,
            scale: (bits >> 10 & 0x1f) as u8,
            style: NumberStyle {
                plus_sign: flag(0),
                thousands: flag(1),
                full_width: flag(2),
                full_width_punctuation: flag(3),
                space_before_unit: flag(4),
                unit: (bits >> 5 & 0x1f) as u8,
            },
        }
    }

    /// The unit suffix, if the cell had one (`万元`, `%`).
    pub fn unit(&self) -> Option<&'static str> {
        self.style.unit()
    }

    /// True for a percentage or per-mille value, which never takes part in a sum.
    pub fn is_ratio(&self) -> bool {
        matches!(self.unit(), Some("%" | "％" | "‰"))
    }
}

/// How many bits `Number::packed` uses beside the mantissa: five flags, the unit (at most
/// 31 of them) and the scale (at most `MAX_DIGITS`).
pub(crate) const PACKED_BITS: u32 = 15;

/// Unit suffixes recognised after a number.
const UNITS: &[&str] = &[
    "万元", "亿元", "千元", "元", "万", "%", "％", "‰", "件", "个", "人次", "人", "次", "条", "篇",
    "项", "起", "家", "户", "期", "场",
];

// `Number::packed` has five bits for the unit and five for the scale.
const _: () = assert!(UNITS.len() < 32 && MAX_DIGITS < 32);

/// Reads a cell's trimmed text as a number, or `None` when it is not one.
pub fn parse_number(text: &str) -> Option<Number> {
    let mut style = NumberStyle::default();
    let mut rest = text;
    for (index, unit) in UNITS.iter().enumerate() {
        if let Some(stripped) = rest.strip_suffix(unit) {
            style.unit = u8::try_from(index + 1).unwrap_or(0);
            rest = stripped.trim_end_matches(crate::text::is_space);
            style.space_before_unit = rest.len() < stripped.len();
            break;
        }
    }
    let mut negative = false;
    let mut chars = rest.chars().peekable();
    match chars.peek() {
        Some('+' | '＋') => {
            style.plus_sign = true;
            chars.next();
        }
        Some('-' | '－' | '−') => {
            negative = true;
            chars.next();
        }
        _ => {}
    }
    let mut mantissa: i128 = 0;
    let mut digits = 0usize;
    let mut scale = 0u32;
    let mut seen_point = false;
    let mut digits_since_separator = 0usize;
    let mut saw_separator = false;
    for character in chars {
        let digit = match character {
            '0'..='9' => character as u32 - '0' as u32,
            '０'..='９' => {
                style.full_width = true;
                character as u32 - '０' as u32
            }
            ',' | '，' if !seen_point && digits > 0 => {
                style.full_width_punctuation |= character == '，';
                if saw_separator && digits_since_separator != 3
                    || !saw_separator && digits_since_separator > 3
                {
                    return None;
                }
                saw_separator = true;
                style.thousands = true;
                digits_since_separator = 0;
                continue;
            }
            '.' | '．' if !seen_point && digits > 0 => {
                style.full_width_punctuation |= character == '．';
                if saw_separator && digits_since_separator != 3 {
                    return None;
                }
                seen_point = true;
                continue;
            }
            _ => return None,
        };
        digits += 1;
        if digits > MAX_DIGITS {
            return None;
        }
        if seen_point {
            scale += 1;
        } else {
            digits_since_separator += 1;
        }
        mantissa = mantissa * 10 + i128::from(digit);
    }
    if digits == 0 || (seen_point && scale == 0) {
        return None;
    }
    if saw_separator && !seen_point && digits_since_separator != 3 {
        return None;
    }
    if negative {
        mantissa = -mantissa;
    }
    Some(Number {
        // At most `MAX_DIGITS` digits: both fit.
        mantissa: i64::try_from(mantissa).ok()?,
        scale: u8::try_from(scale).ok()?,
        style,
    })
}

/// Writes `value` the way `like` was written: sign style, separators, decimals, width of
/// digits and unit suffix. Decimals are never dropped: a value with more decimals than the
/// original keeps them, so the written number is always exact.
pub fn format_like(value: Decimal, like: &Number) -> String {
    let value = value.normalized().with_min_scale(like.value().scale());
    let plain = value.to_string();
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None if like.style.plus_sign && value != Decimal::ZERO => ("+", plain.as_str()),
        None => ("", plain.as_str()),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };
    let mut written = String::from(sign);
    if like.style.thousands {
        for (index, digit) in integer.chars().enumerate() {
            if index > 0 && (integer.len() - index) % 3 == 0 {
                written.push(',');
            }
            written.push(digit);
        }
    } else {
        written.push_str(integer);
    }
    if let Some(fraction) = fraction {
        written.push('.');
        written.push_str(fraction);
    }
    if like.style.full_width_punctuation {
        written = written.replace(',', "，").replace('.', "．");
    }
    if like.style.full_width {
        written = written
            .chars()
            .map(|character| match character {
                '0'..='9' => {
                    char::from_u32(character as u32 - '0' as u32 + '０' as u32).unwrap_or(character)
                }
                other => other,
            })
            .collect();
    }
    if let Some(unit) = like.style.unit() {
        if like.style.space_before_unit {
            written.push(' ');
        }
        written.push_str(unit);
    }
    written
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_packed_number_unpacks_to_itself() {
        let texts = [
            "0",
            "-12.50",
            "+23",
            "1,234",
            "１２",
            "３，５００．０",
            "12 万元",
            "99.5%",
            "-999,999,999,999,999,999",
            "0.00000000000000001",
            "7场",
            "+１，２３４．５６ 亿元",
        ];
        for text in texts {
            let number = parse_number(text).unwrap_or_else(|| panic!("{text} is a number"));
            let (mantissa, bits) = number.packed();
            assert!(u32::from(bits) < 1 << PACKED_BITS, "{text}");
            assert_eq!(Number::unpacked(mantissa, bits), number, "{text}");
        }
    }

    use super::*;

    fn value(text: &str) -> String {
        parse_number(text)
            .map(|number| number.value().to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn parses_the_forms_reports_use() {
        assert_eq!(value("9"), "9");
        assert_eq!(value("+23"), "23");
        assert_eq!(value("-338"), "-338");
        assert_eq!(value("1,234"), "1234");
        assert_eq!(value("１２"), "12");
        assert_eq!(value("26216.97万元"), "26216.97");
        assert_eq!(value("24575.93万"), "24575.93");
        assert_eq!(value("12.5%"), "12.5");
        assert_eq!(value("1,234,567.50"), "1234567.50");
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in [
            "", "abc", "1/2", "1,23", "12,3456", "1.", ".5", "--3", "3件多", "1.2.3",
        ] {
            assert_eq!(value(text), "none", "{text}");
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        let parts = ["0.1", "0.2"].map(|text| parse_number(text).unwrap().value());
        assert_eq!(
            parts[0].checked_add(parts[1]).unwrap(),
            parse_number("0.3").unwrap().value()
        );
        assert_eq!(
            parse_number("3.00").unwrap().value(),
            Decimal::from_integer(3)
        );
        assert!(
            parse_number("26216.97").unwrap().value() < parse_number("26216.971").unwrap().value()
        );
        assert!(
            parse_number("0.99999999999999999").unwrap().value()
                < parse_number("100").unwrap().value()
        );
        assert!(
            parse_number("999999999999999999").unwrap().value()
                > parse_number("0.00000000000000001").unwrap().value()
        );
    }

    #[test]
    fn sums_of_long_numbers_are_exact_and_their_digits_counted() {
        let part = parse_number("999999999999999999").unwrap().value();
        let cents = parse_number("0.00000000000000001").unwrap().value();
        let sum = part.checked_add(part).unwrap().checked_add(cents).unwrap();
        assert_eq!(sum.to_string(), "1999999999999999998.00000000000000001");
        assert_eq!(part.digits(), 18);
        assert_eq!(part.checked_add(part).unwrap().digits(), 19);
        assert_eq!(parse_number("-12.50").unwrap().value().digits(), 4);
        assert_eq!(parse_number("0.5").unwrap().value().digits(), 2);
        // Values whose alignment overflows still compare by value.
        let huge = Decimal::new(i128::MAX / 10, 0);
        let tiny = Decimal::new(1, 30);
        assert!(huge > tiny && tiny > Decimal::ZERO && Decimal::new(-1, 30) < tiny);
    }

    #[test]
    fn writes_back_in_the_original_style() {
        let like = |text: &str| parse_number(text).unwrap();
        assert_eq!(format_like(Decimal::from_integer(53), &like("0")), "53");
        assert_eq!(
            format_like(Decimal::from_integer(1234), &like("1,000")),
            "1,234"
        );
        assert_eq!(format_like(Decimal::from_integer(12), &like("３")), "１２");
        assert_eq!(
            format_like(Decimal::new(30010, 1), &like("３，５００．０")),
            "３，００１．０"
        );
        assert_eq!(
            format_like(Decimal::new(2621697, 2), &like("1.00万元")),
            "26216.97万元"
        );
        assert_eq!(format_like(Decimal::from_integer(5), &like("1.00")), "5.00");
        assert_eq!(format_like(Decimal::from_integer(23), &like("+1")), "+23");
        assert_eq!(format_like(Decimal::from_integer(-2), &like("+1")), "-2");
        assert_eq!(
            format_like(Decimal::new(1234567, 2), &like("1,000.00")),
            "12,345.67"
        );
    }
}
