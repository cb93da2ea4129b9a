//! Turns the bytes of a file into text and back for the command-line shell. Invariant: for
//! every input that `decode` accepts, `encode` of the unchanged text gives back exactly the
//! same bytes, so `check --fix` never changes a byte outside the edited ranges.
//!
//! Detection order: a byte order mark, then `--encoding`, then UTF-8, then (for anything
//! else) a NUL byte means binary, and finally `chardetng` with a Chinese hint, preferring
//! GBK/GB18030 because the reports this tool checks are Chinese.

use chardetng::EncodingDetector;
use encoding_rs::{EncoderResult, Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;
use std::fmt;

/// How far into the file a NUL byte marks it as binary. Binary formats put NUL bytes in
/// their headers, so looking at the start is enough and keeps the check cheap on big files.
const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// The UTF-8 byte order mark, written back when the file had one.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The code unit that is the byte order mark in UTF-16, written in the file's byte order.
const UTF16_BOM: u16 = 0xFEFF;

/// The top-level domain passed to `chardetng`. Without it, short Chinese GBK text is often
/// guessed to be EUC-KR or EUC-JP, because the bytes are valid in all three.
const DETECTION_TLD: &[u8] = b"cn";

/// How much of a file `chardetng` reads. It costs about 150 ms per MiB even in a release
/// build (10 s for a 50 MB file), and a report rarely exceeds 1 MiB, so nearly every file is
/// read whole while a huge one cannot stall the shell.
const DETECTION_PREFIX_LEN: usize = 1024 * 1024;

/// The size of the scratch buffer used to compare a re-encoding with the original bytes.
/// Comparing in chunks avoids holding a second copy of a large file.
const COMPARE_CHUNK: usize = 16 * 1024;

/// The text of a file and what is needed to write it back byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without the byte order mark.
    pub text: String,
    /// The encoding `encode` writes: one whose encoder reproduces the file's bytes.
    pub encoding: &'static Encoding,
    /// Whether the file started with a byte order mark, which `encode` writes back.
    pub bom: bool,
}

/// Why the bytes of a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file contains NUL bytes near its start and no UTF-16 byte order mark.
    Binary,
    /// No candidate encoding (or not the one given with `--encoding`) decodes the bytes
    /// without errors.
    InvalidText,
    /// The label given with `--encoding` names no encoding that can be decoded.
    UnknownEncoding(String),
    /// The bytes decode, but no encoder writes the text back to the same bytes. The file is
    /// refused to keep the module's invariant: accepting it would let `--fix` silently
    /// rewrite bytes it did not edit.
    Irreversible {
        /// The name of the encoding that came closest to reproducing the file.
        encoding: &'static str,
        /// The byte offset in the file of the first byte that would be written differently.
        offset: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => f.write_str(
                "the file looks binary (it contains NUL bytes); reportlint checks text files",
            ),
            DecodeError::InvalidText => f.write_str(
                "the file is neither valid UTF-8 nor GBK/GB18030 text; \
                 convert it to UTF-8 or pass --encoding NAME",
            ),
            DecodeError::UnknownEncoding(label) => write!(
                f,
                "unknown encoding `{label}`; pass a label such as utf-8, gbk, gb18030 or utf-16le"
            ),
            DecodeError::Irreversible { encoding, offset } => write!(
                f,
                "the file is {encoding} text that cannot be written back byte for byte \
                 (the bytes at offset {offset} are a second spelling of a character that \
                 {encoding} writes differently); convert the file to UTF-8 first"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why text could not be written in the file's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// The encoding has no bytes for `character`, which an edit must have introduced.
    Unrepresentable {
        /// The name of the file's encoding, such as `GBK`.
        encoding: &'static str,
        /// The first character that cannot be written.
        character: char,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Unrepresentable {
                encoding,
                character,
            } => write!(
                f,
                "cannot write {character} (U+{code:04X}) in {encoding}: the file's encoding \
                 has no bytes for it; convert the file to UTF-8 first",
                code = u32::from(*character)
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Decodes the bytes of a file; see the module documentation for the order of the checks.
/// `forced` is an encoding label from `--encoding`, such as `gbk`, `gb18030` or `utf-8`.
/// Only valid UTF-8 is copied; other encodings are decoded straight from `bytes`.
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Borrowed(bytes), forced)
}

/// Decodes the bytes of a file like `decode`, reusing the buffer as the text when the file
/// is UTF-8 (with or without a byte order mark), so a large file is never copied.
pub fn decode_owned(bytes: Vec<u8>, forced: Option<&str>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Owned(bytes), forced)
}

/// Writes `text` in the encoding of `like`, with its byte order mark if it had one. For the
/// text `like` was decoded to, this gives back the original bytes exactly.
pub fn encode(text: &str, like: &Decoded) -> Result<Vec<u8>, EncodeError> {
    let encoding = like.encoding;
    if encoding == UTF_8 {
        let bom: &[u8] = if like.bom { UTF8_BOM } else { &[] };
        let mut out = Vec::with_capacity(bom.len() + text.len());
        out.extend_from_slice(bom);
        out.extend_from_slice(text.as_bytes());
        Ok(out)
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        Ok(encode_utf16(text, encoding == UTF_16BE, like.bom))
    } else {
        // Legacy encodings have no byte order mark, and `decode` never sets `bom` for them.
        encode_legacy(text, encoding)
    }
}

/// The shared body of `decode` and `decode_owned`: UTF-8 takes ownership of the bytes
/// (copying only when they were borrowed), everything else decodes from a borrow.
fn decode_cow(bytes: Cow<'_, [u8]>, forced: Option<&str>) -> Result<Decoded, DecodeError> {
    // An unknown label is reported even when a byte order mark would decide the encoding,
    // because a typo in `--encoding` should not go unnoticed.
    let forced = forced.map(resolve_label).transpose()?;
    // A byte order mark is stronger evidence than a label, as in the WHATWG Encoding
    // Standard: a UTF-8 BOM read as GBK is the well-known "锘" mojibake.
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let text = if encoding == UTF_8 {
            into_utf8(bytes, bom_len).ok()
        } else {
            decode_exact(encoding, &bytes[bom_len..])
        };
        return text
            .map(|text| Decoded {
                text,
                encoding,
                bom: true,
            })
            .ok_or(DecodeError::InvalidText);
    }
    if let Some(encoding) = forced {
        return decode_forced(bytes, encoding);
    }
    match into_utf8(bytes, 0) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: UTF_8,
            bom: false,
        }),
        Err(bytes) => detect(&bytes),
    }
}

/// Looks up an `--encoding` label. The "replacement" encoding (labels such as
/// `iso-2022-kr`) is refused because it decodes every input to an error.
fn resolve_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label_no_replacement(label.as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_owned()))
}

/// Decodes bytes without a byte order mark in the encoding given with `--encoding`.
fn decode_forced(
    bytes: Cow<'_, [u8]>,
    encoding: &'static Encoding,
) -> Result<Decoded, DecodeError> {
    if encoding == UTF_8 {
        let text = into_utf8(bytes, 0).map_err(|_| DecodeError::InvalidText)?;
        return Ok(Decoded {
            text,
            encoding,
            bom: false,
        });
    }
    let text = decode_exact(encoding, &bytes).ok_or(DecodeError::InvalidText)?;
    if encoding == UTF_16LE || encoding == UTF_16BE {
        // Valid UTF-16 maps one to one onto text, so it always writes back identically.
        return Ok(Decoded {
            text,
            encoding,
            bom: false,
        });
    }
    legacy(text, encoding, &bytes)
}

/// Guesses the encoding of bytes that are not UTF-8 and have no byte order mark.
fn detect(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes[..bytes.len().min(BINARY_SNIFF_LEN)].contains(&0) {
        return Err(DecodeError::Binary);
    }
    let mut detector = EncodingDetector::new();
    // Passing `last` only when the whole file was fed tells chardetng that a prefix may end
    // inside a character; the full decode below checks the guess on every byte anyway.
    let prefix = &bytes[..bytes.len().min(DETECTION_PREFIX_LEN)];
    detector.feed(prefix, prefix.len() == bytes.len());
    decode_guessed(bytes, detector.guess(Some(DETECTION_TLD), true))
}

/// Decodes bytes that are not UTF-8 given `chardetng`'s guess, which is accepted only if it
/// decodes without errors; GB18030 is preferred to a guess that is not Chinese.
fn decode_guessed(bytes: &[u8], guess: &'static Encoding) -> Result<Decoded, DecodeError> {
    let chinese = guess == GBK || guess == GB18030 || guess == BIG5;
    if chinese {
        if let Some(text) = decode_exact(guess, bytes) {
            return legacy(text, guess, bytes);
        }
    }
    // The input is not UTF-8, so it has high bytes; if GB18030 reads them cleanly, trust it
    // over a non-Chinese guess. The GBK guess above already failed with the same decoder.
    if guess != GBK && guess != GB18030 {
        if let Some(text) = decode_exact(GB18030, bytes) {
            return legacy(text, GB18030, bytes);
        }
    }
    if !chinese {
        if let Some(text) = decode_exact(guess, bytes) {
            return legacy(text, guess, bytes);
        }
    }
    Err(DecodeError::InvalidText)
}

/// Completes decoding in a legacy encoding by picking the encoder that reproduces `bytes`.
/// GBK and GB18030 share one decoder but not one encoder: only GBK writes the byte 0x80 for
/// the euro sign, and only GB18030 writes four-byte sequences, so both are tried.
fn legacy(
    text: String,
    preferred: &'static Encoding,
    bytes: &[u8],
) -> Result<Decoded, DecodeError> {
    let candidates: &[&'static Encoding] = if preferred == GBK {
        &[GBK, GB18030]
    } else if preferred == GB18030 {
        &[GB18030, GBK]
    } else {
        &[preferred]
    };
    // The error names the encoder that got furthest, as the one worth converting from.
    let (mut encoding, mut offset) = (preferred, 0);
    for &candidate in candidates {
        match first_difference(&text, candidate, bytes) {
            None => {
                return Ok(Decoded {
                    text,
                    encoding: candidate,
                    bom: false,
                })
            }
            Some(reached) if reached > offset => (encoding, offset) = (candidate, reached),
            Some(_) => {}
        }
    }
    Err(DecodeError::Irreversible {
        encoding: encoding.name(),
        offset,
    })
}

/// Decodes `bytes` (without a byte order mark) in `encoding`, or `None` if any byte
/// sequence is malformed: a replacement character would not write back the same bytes.
fn decode_exact(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// Turns bytes after a prefix of `skip` bytes into a `String`, reusing an owned buffer.
/// On failure it gives back the bytes (without the prefix if they were owned), so the
/// caller can try other encodings without a copy.
fn into_utf8(bytes: Cow<'_, [u8]>, skip: usize) -> Result<String, Cow<'_, [u8]>> {
    match bytes {
        Cow::Borrowed(slice) => std::str::from_utf8(&slice[skip..])
            .map(str::to_owned)
            .map_err(|_| Cow::Borrowed(slice)),
        Cow::Owned(mut vec) => {
            // Draining the prefix moves the bytes down inside the same allocation.
            vec.drain(..skip);
            String::from_utf8(vec).map_err(|error| Cow::Owned(error.into_bytes()))
        }
    }
}

/// Returns the offset of the first byte where writing `text` in `encoding` differs from
/// `original`, or `None` if it reproduces `original` exactly. It encodes in chunks so that
/// no second copy of the file is held.
fn first_difference(text: &str, encoding: &'static Encoding, original: &[u8]) -> Option<usize> {
    let mut encoder = encoding.new_encoder();
    let mut buffer = vec![0u8; COMPARE_CHUNK];
    let mut read_total = 0;
    let mut written_total = 0;
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(&text[read_total..], &mut buffer, true);
        read_total += read;
        let produced = &buffer[..written];
        let expected = &original[written_total.min(original.len())..];
        let same = produced
            .iter()
            .zip(expected)
            .take_while(|(a, b)| a == b)
            .count();
        if same < written {
            return Some(written_total + same);
        }
        written_total += written;
        match result {
            EncoderResult::InputEmpty => {
                return (written_total != original.len()).then_some(written_total)
            }
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(_) => return Some(written_total),
        }
    }
}

/// Writes `text` as UTF-16 code units in the given byte order. `encoding_rs` cannot do
/// this itself: the output encoding of UTF-16 is UTF-8, as the web never writes UTF-16.
fn encode_utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let to_bytes = |unit: u16| {
        if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        }
    };
    // Every UTF-8 byte yields at most one code unit, so this is an upper bound.
    let mut out = Vec::with_capacity(2 * (text.len() + 1));
    if bom {
        out.extend_from_slice(&to_bytes(UTF16_BOM));
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&to_bytes(unit));
    }
    out
}

/// Writes `text` in a legacy encoding, refusing characters it has no bytes for instead of
/// writing the `&#...;` references that `Encoding::encode` substitutes.
fn encode_legacy(text: &str, encoding: &'static Encoding) -> Result<Vec<u8>, EncodeError> {
    let mut encoder = encoding.new_encoder();
    // Chinese text is usually no longer in GBK than in UTF-8, so one allocation of the
    // UTF-8 length is the common case; the loop grows the buffer when it is not.
    let mut out = Vec::with_capacity(text.len());
    let mut read_total = 0;
    loop {
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(
            &text[read_total..],
            &mut out,
            true,
        );
        read_total += read;
        match result {
            EncoderResult::InputEmpty => return Ok(out),
            EncoderResult::OutputFull => {
                let rest = text.len() - read_total;
                let needed = encoder
                    .max_buffer_length_from_utf8_without_replacement(rest)
                    .unwrap_or(rest);
                out.reserve(needed.max(16));
            }
            EncoderResult::Unmappable(character) => {
                return Err(EncodeError::Unrepresentable {
                    encoding: encoding.name(),
                    character,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_KR, WINDOWS_1252, WINDOWS_1253};

    /// A paragraph of a real report, long enough for `chardetng` to be sure.
    const REPORT: &str = "2020年峄城区人民政府信息公开工作年度报告\r\n\
        一、总体情况\r\n\
        2020年，峄城区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，\
        围绕区委、区政府中心工作，进一步加强政府信息公开工作。\r\n\
        二、主动公开政府信息情况\r\n\
        本年度主动公开政府信息共计1234条，其中规范性文件12件。\r\n";

    /// About twenty characters: short enough that detection needs the Chinese hint.
    const SHORT: &str = "二、主动公开政府信息情况合计共十二件";

    /// Encodes `text` with `encoding_rs`, failing the test if anything is unmappable.
    fn bytes_in(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "{text:?} is not representable in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    /// Decodes `bytes`, checks the result, and checks that encoding gives back `bytes`.
    fn round_trip(bytes: &[u8], text: &str, encoding: &'static Encoding, bom: bool) -> Decoded {
        let decoded = decode(bytes, None).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding.name(), encoding.name());
        assert_eq!(decoded.bom, bom);
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
        assert_eq!(decode_owned(bytes.to_vec(), None).unwrap(), decoded);
        decoded
    }

    #[test]
    fn empty_input_is_empty_utf8() {
        let decoded = round_trip(b"", "", UTF_8, false);
        assert!(decoded.text.is_empty());
    }

    #[test]
    fn utf8_round_trips_with_crlf_nbsp_and_ideographic_space() {
        let text = format!("{REPORT}合计\u{a0}12\u{3000}件\r\n😀\r\n");
        round_trip(text.as_bytes(), &text, UTF_8, false);
    }

    #[test]
    fn utf8_with_nul_is_still_text() {
        // Valid UTF-8 is accepted before the binary check, so a NUL there does not refuse it.
        round_trip(b"a\0b", "a\0b", UTF_8, false);
    }

    #[test]
    fn utf8_bom_is_stripped_and_written_back() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(REPORT.as_bytes());
        round_trip(&bytes, REPORT, UTF_8, true);
        round_trip(UTF8_BOM, "", UTF_8, true);
    }

    #[test]
    fn utf8_bom_with_invalid_bytes_is_invalid() {
        let bytes = [0xEF, 0xBB, 0xBF, b'a', 0xFF];
        assert_eq!(decode(&bytes, None), Err(DecodeError::InvalidText));
    }

    #[test]
    fn decode_owned_reuses_the_buffer_for_utf8() {
        let bytes = REPORT.as_bytes().to_vec();
        let pointer = bytes.as_ptr();
        assert_eq!(decode_owned(bytes, None).unwrap().text.as_ptr(), pointer);

        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice(REPORT.as_bytes());
        let pointer = with_bom.as_ptr();
        let decoded = decode_owned(with_bom, None).unwrap();
        assert_eq!(decoded.text.as_ptr(), pointer);
        assert_eq!(decoded.text, REPORT);
    }

    #[test]
    fn utf16_with_bom_round_trips_in_both_byte_orders() {
        let text = format!("{REPORT}\u{a0}\u{3000}😀");
        for (encoding, big_endian) in [(UTF_16LE, false), (UTF_16BE, true)] {
            let bytes = encode_utf16(&text, big_endian, true);
            // ASCII in UTF-16 is full of NUL bytes: the byte order mark keeps it from
            // being called binary.
            assert!(bytes.contains(&0));
            round_trip(&bytes, &text, encoding, true);
        }
        assert_eq!(encode_utf16("a", false, true), [0xFF, 0xFE, b'a', 0]);
        assert_eq!(encode_utf16("a", true, true), [0xFE, 0xFF, 0, b'a']);
    }

    #[test]
    fn malformed_utf16_is_invalid() {
        // An odd number of bytes and an unpaired surrogate.
        assert_eq!(
            decode(&[0xFF, 0xFE, b'a', 0, b'b'], None),
            Err(DecodeError::InvalidText)
        );
        assert_eq!(
            decode(&[0xFF, 0xFE, 0x00, 0xD8, b'a', 0], None),
            Err(DecodeError::InvalidText)
        );
    }

    #[test]
    fn gbk_report_is_detected_and_round_trips() {
        let bytes = bytes_in(GBK, REPORT);
        assert!(std::str::from_utf8(&bytes).is_err());
        round_trip(&bytes, REPORT, GBK, false);
    }

    #[test]
    fn short_gbk_text_is_detected() {
        assert_eq!(SHORT.chars().count(), 18);
        round_trip(&bytes_in(GBK, SHORT), SHORT, GBK, false);
        round_trip(&bytes_in(GBK, "年度报告"), "年度报告", GBK, false);
        // Without the hint, chardetng takes this text for EUC-JP: the hint is load-bearing.
        let mut detector = EncodingDetector::new();
        detector.feed(&bytes_in(GBK, "年度报告"), true);
        assert_eq!(detector.guess(None, true), encoding_rs::EUC_JP);
    }

    #[test]
    fn gbk_ideographic_space_and_euro_byte_round_trip() {
        let text = "一、总体情况\u{3000}合计\r\n";
        round_trip(&bytes_in(GBK, text), text, GBK, false);
        // GBK writes the euro sign as the single byte 0x80; GB18030 would write A2 E3.
        let mut bytes = bytes_in(GBK, REPORT);
        bytes.extend_from_slice(&[b'5', 0x80, b'\r', b'\n']);
        let text = format!("{REPORT}5€\r\n");
        round_trip(&bytes, &text, GBK, false);
    }

    #[test]
    fn gb18030_four_byte_characters_round_trip() {
        // U+00A0, U+3400 and U+1F600 have no two-byte GBK code, so GB18030 uses four bytes.
        let text = format!("{REPORT}合计\u{a0}12件，㐀😀\r\n");
        let bytes = bytes_in(GB18030, &text);
        assert!(bytes.windows(4).any(|w| w == [0x81, 0x30, 0x84, 0x32]));
        round_trip(&bytes, &text, GB18030, false);
    }

    #[test]
    fn gb18030_euro_round_trips() {
        // A2 E3 is GB18030's euro sign; GBK's encoder would write 0x80 instead.
        let text = format!("{REPORT}5€\r\n");
        round_trip(&bytes_in(GB18030, &text), &text, GB18030, false);
    }

    #[test]
    fn second_spellings_are_refused_as_irreversible() {
        let report = bytes_in(GBK, REPORT);
        let at = report.len();
        // A3 A0 decodes to U+3000 like A1 A1, which both encoders write instead.
        let mut bytes = report.clone();
        bytes.extend_from_slice(&[0xA3, 0xA0]);
        assert_eq!(
            decode(&bytes, None),
            Err(DecodeError::Irreversible {
                encoding: "GBK",
                offset: at
            })
        );
        // GB18030-2005's four-byte U+9FB4 decodes, but GB18030-2022 writes it as FE 59.
        let mut bytes = report.clone();
        bytes.extend_from_slice(&[0x82, 0x35, 0x90, 0x37]);
        assert!(matches!(
            decode(&bytes, None),
            Err(DecodeError::Irreversible { offset, .. }) if offset == at
        ));
        // Both spellings of the euro sign in one file: each encoder gets one of them wrong.
        let mut bytes = report;
        bytes.extend_from_slice(&[0x80, 0xA2, 0xE3]);
        assert_eq!(
            decode(&bytes, None),
            Err(DecodeError::Irreversible {
                encoding: "GBK",
                offset: at + 1
            })
        );
    }

    #[test]
    fn detection_reads_a_prefix_of_large_files() {
        // The first MiB is ASCII, so the GBK text comes after what chardetng reads; the
        // preference for GB18030 still finds it.
        let mut text = "total 1234\r\n".repeat(DETECTION_PREFIX_LEN / 12 + 1);
        text.push_str(REPORT);
        let bytes = bytes_in(GBK, &text);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
    }

    #[test]
    fn png_header_is_binary() {
        let png = [
            0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n', 0, 0, 0, 0x0D, b'I', b'H', b'D',
            b'R',
        ];
        assert_eq!(decode(&png, None), Err(DecodeError::Binary));
    }

    #[test]
    fn nul_after_the_first_8_kib_is_not_binary() {
        let mut text = REPORT.repeat(2 * BINARY_SNIFF_LEN / REPORT.len() + 1);
        text.push('\0');
        let bytes = bytes_in(GBK, &text);
        assert!(bytes[..BINARY_SNIFF_LEN].iter().all(|&b| b != 0));
        round_trip(&bytes, &text, GBK, false);
    }

    #[test]
    fn bytes_that_are_neither_utf8_nor_gbk_are_invalid() {
        // 0xFF is never valid in GBK/GB18030; with the "cn" hint chardetng guesses GBK,
        // so windows-1252 (which maps every byte) is not tried.
        let mut bytes = b"total ".to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE, 0xFD, 0x80, 0x81]);
        bytes.extend_from_slice(b" rows\n");
        assert_eq!(decode(&bytes, None), Err(DecodeError::InvalidText));

        let mut bytes = bytes_in(GBK, REPORT);
        bytes.push(0xFF);
        bytes.extend_from_slice(&bytes_in(GBK, SHORT));
        assert_eq!(decode(&bytes, None), Err(DecodeError::InvalidText));

        // A lead byte with nothing after it at the end of the file.
        let mut bytes = bytes_in(GBK, REPORT);
        bytes.push(0x81);
        assert_eq!(decode(&bytes, None), Err(DecodeError::InvalidText));
    }

    #[test]
    fn latin1_text_is_windows_1252() {
        // Lone high bytes between ASCII are not GB18030, so the detector's guess stands.
        let text = "café déjà vu, naïve résumé\r\n";
        round_trip(&bytes_in(WINDOWS_1252, text), text, WINDOWS_1252, false);
    }

    #[test]
    fn gb18030_is_preferred_over_a_non_chinese_guess() {
        // With the "cn" hint chardetng itself answers GBK for any well-formed GBK input, so
        // this preference is a safety net; it is checked here with the guess given directly.
        let korean = "안녕하세요. 정부 정보 공개 연례 보고서입니다. 총계를 확인하십시오.\n";
        let bytes = bytes_in(EUC_KR, korean);
        let decoded = decode_guessed(&bytes, EUC_KR).unwrap();
        assert_eq!(decoded.encoding, GB18030);
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
        // Greek is not GB18030, so the guess stands.
        let greek = bytes_in(WINDOWS_1253, "Καλημέρα σας");
        assert_eq!(
            decode_guessed(&greek, WINDOWS_1253).unwrap().encoding,
            WINDOWS_1253
        );
        assert_eq!(decode(&greek, None).unwrap().encoding, WINDOWS_1253);
    }

    #[test]
    fn well_formed_gbk_in_other_encodings_reads_as_gbk() {
        // EUC-KR bytes are also well-formed GBK, and with the "cn" hint chardetng calls them
        // GBK, so Korean text reads as mojibake (that still writes back identically) unless
        // `--encoding euc-kr` is given. The same holds for Shift_JIS, EUC-JP and Big5.
        let korean = "안녕하세요. 정부 정보 공개 연례 보고서입니다. 총계를 확인하십시오.\n";
        let bytes = bytes_in(EUC_KR, korean);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.encoding, GBK);
        assert_ne!(decoded.text, korean);
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
        let big5 = bytes_in(BIG5, "政府資訊公開年度報告，總體情況說明。");
        assert_eq!(decode(&big5, None).unwrap().encoding, GBK);

        let forced = decode(&bytes, Some("euc-kr")).unwrap();
        assert_eq!(forced.text, korean);
        assert_eq!(encode(&forced.text, &forced).unwrap(), bytes);
    }

    #[test]
    fn forced_labels_are_used() {
        let gbk = bytes_in(GBK, SHORT);
        let decoded = decode(&gbk, Some("gb2312")).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), (SHORT, GBK));
        let decoded = decode(&gbk, Some(" GB18030 ")).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), (SHORT, GB18030));
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), gbk);
        // A forced label wins over valid UTF-8.
        let decoded = decode("café".as_bytes(), Some("windows-1252")).unwrap();
        assert_eq!(decoded.text, "cafÃ©");
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), "café".as_bytes());
        // UTF-16 without a byte order mark is written back without one.
        let bytes = encode_utf16(SHORT, false, false);
        let decoded = decode_owned(bytes.clone(), Some("utf-16le")).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.bom), (SHORT, false));
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
    }

    #[test]
    fn forced_gbk_with_four_byte_characters_writes_gb18030() {
        let text = format!("{SHORT}\u{a0}");
        let bytes = bytes_in(GB18030, &text);
        let decoded = decode(&bytes, Some("gbk")).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (text.as_str(), GB18030)
        );
        assert_eq!(encode(&decoded.text, &decoded).unwrap(), bytes);
    }

    #[test]
    fn forced_decode_with_errors_is_invalid() {
        assert_eq!(
            decode(&bytes_in(GBK, SHORT), Some("utf-8")),
            Err(DecodeError::InvalidText)
        );
        assert_eq!(
            decode(&[b'a', 0x81], Some("gbk")),
            Err(DecodeError::InvalidText)
        );
    }

    #[test]
    fn unknown_labels_are_refused() {
        assert_eq!(
            decode(b"abc", Some("klingon")),
            Err(DecodeError::UnknownEncoding("klingon".to_owned()))
        );
        // The replacement encoding decodes everything to an error, so it counts as unknown.
        assert!(matches!(
            decode(b"abc", Some("iso-2022-kr")),
            Err(DecodeError::UnknownEncoding(_))
        ));
        // A typo is reported even when a byte order mark decides the encoding.
        assert!(matches!(
            decode(b"\xEF\xBB\xBFabc", Some("utf8x")),
            Err(DecodeError::UnknownEncoding(_))
        ));
    }

    #[test]
    fn a_bom_wins_over_a_forced_label() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(SHORT.as_bytes());
        round_trip(&bytes, SHORT, UTF_8, true);
        assert_eq!(decode(&bytes, Some("gbk")).unwrap().text, SHORT);
    }

    #[test]
    fn edited_text_is_encoded_in_the_file_encoding() {
        let decoded = decode(&bytes_in(GBK, REPORT), None).unwrap();
        let edited = decoded.text.replace("1234", "1235");
        assert_eq!(encode(&edited, &decoded).unwrap(), bytes_in(GBK, &edited));
    }

    #[test]
    fn unrepresentable_characters_are_refused_not_replaced() {
        let decoded = decode(&bytes_in(GBK, REPORT), None).unwrap();
        let edited = format!("{}😀", decoded.text);
        let error = encode(&edited, &decoded).unwrap_err();
        assert_eq!(
            error,
            EncodeError::Unrepresentable {
                encoding: "GBK",
                character: '😀'
            }
        );
        assert_eq!(
            error.to_string(),
            "cannot write 😀 (U+1F600) in GBK: the file's encoding has no bytes for it; \
             convert the file to UTF-8 first"
        );
        // GB18030 can write every character.
        let like = Decoded {
            encoding: GB18030,
            ..decoded
        };
        assert_eq!(encode(&edited, &like).unwrap(), bytes_in(GB18030, &edited));
    }

    #[test]
    fn large_legacy_output_grows_the_buffer() {
        // Two UTF-8 bytes become four GB18030 bytes, so the first allocation is too small.
        let text = "\u{a0}".repeat(10_000);
        let like = Decoded {
            text: String::new(),
            encoding: GB18030,
            bom: false,
        };
        assert_eq!(encode(&text, &like).unwrap(), bytes_in(GB18030, &text));
    }

    #[test]
    fn errors_say_what_to_do() {
        assert_eq!(
            DecodeError::Binary.to_string(),
            "the file looks binary (it contains NUL bytes); reportlint checks text files"
        );
        assert_eq!(
            DecodeError::InvalidText.to_string(),
            "the file is neither valid UTF-8 nor GBK/GB18030 text; \
             convert it to UTF-8 or pass --encoding NAME"
        );
        assert!(DecodeError::UnknownEncoding("x".into())
            .to_string()
            .contains("unknown encoding `x`"));
        assert!(DecodeError::Irreversible {
            encoding: "GBK",
            offset: 7
        }
        .to_string()
        .contains("offset 7"));
    }
}
