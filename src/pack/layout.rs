//! The zip structure of a pack, read byte by byte before any library touches it.
//!
//! `faro pack build` writes one canonical layout: entries back to back from offset 0, no
//! comments, no extra fields, fixed dates and permissions, then the central directory and the end
//! record. Checking that layout exactly means every byte of a pack is either covered by a hash
//! and the signature, or compared here, so a single changed byte anywhere is noticed. It also
//! refuses hostile archives (zip-slip names, symlinks, zip bombs, 100,000 entries) from the
//! central directory alone, before anything is decompressed or written.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::{MAX_COMPRESSION_RATIO, MAX_PACK_FILES, MAX_UNPACKED_BYTES, PackError, RATIO_CHECK_MIN_BYTES};

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
const EOCD_LEN: u64 = 22;
const CENTRAL_LEN: usize = 46;
const LOCAL_LEN: usize = 30;
/// The two files beside the module files: the manifest and its signature.
const EXTRA_ENTRIES: u64 = 2;
/// The largest central directory a pack can need: every entry with a name of the longest
/// allowed length (with room to spare), so a hostile one is never read whole into memory.
const MAX_CENTRAL_BYTES: u64 = (MAX_PACK_FILES as u64 + EXTRA_ENTRIES) * (CENTRAL_LEN as u64 + 256);

/// Compression methods a pack may use: stored (0) and deflate (8).
pub(crate) const STORED: u16 = 0;
pub(crate) const DEFLATED: u16 = 8;
/// The MS-DOS date the builder writes (1980-01-01), so packs are reproducible; time is 00:00.
pub(crate) const CANONICAL_DATE: u16 = (1 << 5) | 1;
/// Regular file, `rw-r--r--`, as Unix permissions in the high half of the external attributes.
pub(crate) const CANONICAL_MODE: u32 = 0o100_644;

/// One entry of a pack whose layout is sound.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub name: String,
    pub size: u64,
}

/// Reads the central directory and every local header of the pack file and checks them.
pub(crate) fn check(file: &mut File) -> Result<Vec<Entry>, PackError> {
    let len = file.seek(SeekFrom::End(0)).map_err(|e| not_a_pack(format!("cannot read: {e}")))?;
    if len < EOCD_LEN {
        return Err(not_a_pack("the file is too short to be a zip archive".to_owned()));
    }
    let end = read_at(file, len - EOCD_LEN, EOCD_LEN as usize)?;
    let mut r = Bytes(&end);
    if r.u32() != EOCD_SIG {
        return Err(not_a_pack("it is not a zip archive (or one with a trailing comment)".to_owned()));
    }
    let (disk, cd_disk, on_disk, total) = (r.u16(), r.u16(), r.u16(), r.u16());
    let (cd_size, cd_offset, comment_len) = (r.u32(), r.u32(), r.u16());
    if total == u16::MAX || cd_size == u32::MAX || cd_offset == u32::MAX {
        return Err(zip64_refusal(file, len));
    }
    let total = u64::from(total);
    if total > MAX_PACK_FILES as u64 + EXTRA_ENTRIES {
        return Err(PackError::TooManyFiles { count: total, limit: MAX_PACK_FILES as u64 });
    }
    if disk != 0 || cd_disk != 0 || u64::from(on_disk) != total || comment_len != 0 {
        return Err(structure("the end record is not the one `faro pack build` writes"));
    }
    let (cd_size, cd_offset) = (u64::from(cd_size), u64::from(cd_offset));
    if cd_offset.checked_add(cd_size) != Some(len - EOCD_LEN) {
        return Err(structure("the central directory does not end where the end record begins"));
    }
    if cd_size > MAX_CENTRAL_BYTES {
        return Err(structure("the central directory is larger than any pack needs"));
    }
    let central = read_at(file, cd_offset, usize::try_from(cd_size).unwrap_or(usize::MAX))?;
    let mut at = 0usize;
    let mut next_local = 0u64;
    let mut entries = Vec::new();
    let mut names = HashSet::new();
    let mut unpacked: u64 = 0;
    for _ in 0..total {
        let header = central
            .get(at..at + CENTRAL_LEN)
            .ok_or_else(|| structure("the central directory is cut short"))?;
        if !Central::signature_ok(header) {
            return Err(structure("a central directory header is damaged"));
        }
        let c = Central::parse(header);
        let name_end = at + CENTRAL_LEN + usize::from(c.name_len);
        let raw_name =
            central.get(at + CENTRAL_LEN..name_end).ok_or_else(|| structure("an entry name is cut short"))?;
        let name = check_name(raw_name, &c)?;
        let bad = |reason: &str| PackError::NonCanonical { name: name.clone(), reason: reason.to_owned() };
        if !names.insert(name.to_ascii_lowercase()) {
            return Err(PackError::DuplicateEntry { name });
        }
        if c.csize == u32::MAX || c.size == u32::MAX || c.local_offset == u32::MAX {
            return Err(bad("it uses ZIP64 fields, which packs never need"));
        }
        let (size, csize) = (u64::from(c.size), u64::from(c.csize));
        if size > RATIO_CHECK_MIN_BYTES && size > csize.saturating_mul(MAX_COMPRESSION_RATIO) {
            let ratio = size / csize.max(1);
            return Err(PackError::ZipBomb {
                name,
                size,
                compressed: csize,
                ratio,
                limit: MAX_COMPRESSION_RATIO,
            });
        }
        unpacked = unpacked.saturating_add(size);
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(PackError::TooMuchData { limit_mib: MAX_UNPACKED_BYTES / (1024 * 1024) });
        }
        if c.method == STORED && csize != size {
            return Err(bad("a stored entry's sizes differ"));
        }
        c.check_canonical().map_err(bad)?;
        if u64::from(c.local_offset) != next_local {
            return Err(bad("entries are not back to back from the start of the file"));
        }
        let local = read_at(file, next_local, LOCAL_LEN + usize::from(c.name_len))?;
        check_local(&local, &c, raw_name).map_err(bad)?;
        next_local = next_local + (LOCAL_LEN as u64) + u64::from(c.name_len) + csize;
        at = name_end;
        entries.push(Entry { name, size });
    }
    if at != central.len() {
        return Err(structure("the central directory holds more than its entries"));
    }
    if next_local != cd_offset {
        return Err(structure("there are bytes between the last entry and the central directory"));
    }
    Ok(entries)
}

/// The fixed-size part of a central directory header.
struct Central {
    made_by: u16,
    needed: u16,
    flags: u16,
    method: u16,
    time: u16,
    date: u16,
    crc: u32,
    csize: u32,
    size: u32,
    name_len: u16,
    extra_len: u16,
    comment_len: u16,
    disk_start: u16,
    internal: u16,
    external: u32,
    local_offset: u32,
}

impl Central {
    fn parse(header: &[u8]) -> Self {
        let mut r = Bytes(header);
        let _signature = r.u32();
        Self {
            made_by: r.u16(),
            needed: r.u16(),
            flags: r.u16(),
            method: r.u16(),
            time: r.u16(),
            date: r.u16(),
            crc: r.u32(),
            csize: r.u32(),
            size: r.u32(),
            name_len: r.u16(),
            extra_len: r.u16(),
            comment_len: r.u16(),
            disk_start: r.u16(),
            internal: r.u16(),
            external: r.u32(),
            local_offset: r.u32(),
        }
    }

    fn signature_ok(header: &[u8]) -> bool {
        Bytes(header).u32() == CENTRAL_SIG
    }

    /// Unix permissions, when the entry was made on Unix (as every pack entry is).
    fn unix_mode(&self) -> Option<u32> {
        (self.made_by >> 8 == 3).then_some(self.external >> 16)
    }

    fn check_canonical(&self) -> Result<(), &'static str> {
        // Spec versions 1.0 to 6.3; the high byte (3) says Unix.
        if self.made_by >> 8 != 3 || self.made_by & 0xff > 63 {
            return Err("it was not made by `faro pack build` (version made by)");
        }
        if !matches!(self.needed, 10 | 20) {
            return Err("it needs an unusual zip version");
        }
        // Bits 1-2 are deflate's speed hint, bit 11 says UTF-8 names; nothing else is used.
        if self.flags & !0x0806 != 0 {
            return Err("it has unexpected flags (encryption or a data descriptor)");
        }
        if self.time != 0 || self.date != CANONICAL_DATE {
            return Err("its date is not the fixed date packs use");
        }
        if self.extra_len != 0 || self.comment_len != 0 || self.disk_start != 0 || self.internal > 1 {
            return Err("it has extra fields, a comment or unusual attributes");
        }
        // The low half holds MS-DOS attributes, which packs leave empty.
        if self.unix_mode() != Some(CANONICAL_MODE) || self.external & 0xffff != 0 {
            return Err("its permissions are not those of a plain file (rw-r--r--)");
        }
        Ok(())
    }
}

/// The entry name as UTF-8, refusing anything that could land outside the install folder.
fn check_name(raw: &[u8], c: &Central) -> Result<String, PackError> {
    let name = std::str::from_utf8(raw)
        .map_err(|_| PackError::NonUtf8Name { name: String::from_utf8_lossy(raw).into_owned() })?
        .to_owned();
    let unsafe_path = |reason| PackError::UnsafePath { name: name.clone(), reason };
    if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
        return Err(unsafe_path("it is an absolute path"));
    }
    if name.split(['/', '\\']).any(|part| part == "..") {
        return Err(unsafe_path("it climbs out of the pack folder with \"..\""));
    }
    if name.contains('\\') || name.contains('\0') {
        return Err(unsafe_path("it contains a backslash or NUL character"));
    }
    if c.unix_mode().is_some_and(|mode| mode & 0o170_000 == 0o120_000) {
        return Err(PackError::Symlink { name });
    }
    if name.ends_with('/') || c.unix_mode().is_some_and(|mode| mode & 0o170_000 == 0o040_000) {
        return Err(unsafe_path("it is a folder entry; packs list files only"));
    }
    if c.flags & 1 != 0 {
        return Err(PackError::NonCanonical { name, reason: "it is encrypted".to_owned() });
    }
    if !matches!(c.method, STORED | DEFLATED) {
        return Err(PackError::NonCanonical {
            name,
            reason: format!("compression method {} is not stored or deflate", c.method),
        });
    }
    Ok(name)
}

/// Compares a local header with its central directory twin.
fn check_local(local: &[u8], c: &Central, raw_name: &[u8]) -> Result<(), &'static str> {
    let mut r = Bytes(local);
    if r.u32() != LOCAL_SIG {
        return Err("its local header is missing");
    }
    let fields = (r.u16(), r.u16(), r.u16(), r.u16(), r.u16(), r.u32(), r.u32(), r.u32());
    if fields != (c.needed, c.flags, c.method, c.time, c.date, c.crc, c.csize, c.size) {
        return Err("its local header disagrees with the central directory");
    }
    let (name_len, extra_len) = (r.u16(), r.u16());
    if name_len != c.name_len || extra_len != 0 || local.get(LOCAL_LEN..) != Some(raw_name) {
        return Err("its local header has another name or extra fields");
    }
    Ok(())
}

/// Packs never need ZIP64; an archive that uses it is refused, by its file count when that is why.
fn zip64_refusal(file: &mut File, len: u64) -> PackError {
    let count = (|| {
        let locator = read_at(file, len.checked_sub(EOCD_LEN + 20)?, 20).ok()?;
        let mut r = Bytes(&locator);
        if r.u32() != ZIP64_LOCATOR_SIG {
            return None;
        }
        let _disk = r.u32();
        let offset = r.u64();
        let record = read_at(file, offset, 56).ok()?;
        let mut r = Bytes(&record);
        if r.u32() != ZIP64_EOCD_SIG {
            return None;
        }
        let _ = (r.u64(), r.u16(), r.u16(), r.u32(), r.u32(), r.u64());
        Some(r.u64())
    })();
    match count {
        Some(count) if count > MAX_PACK_FILES as u64 + EXTRA_ENTRIES => {
            PackError::TooManyFiles { count, limit: MAX_PACK_FILES as u64 }
        }
        _ => structure("it uses ZIP64, which packs never need (too many files or too large)"),
    }
}

fn read_at(file: &mut File, offset: u64, len: usize) -> Result<Vec<u8>, PackError> {
    file.seek(SeekFrom::Start(offset)).map_err(|e| not_a_pack(format!("cannot read: {e}")))?;
    let mut buf = Vec::new();
    file.take(len as u64).read_to_end(&mut buf).map_err(|e| not_a_pack(format!("cannot read: {e}")))?;
    if buf.len() != len {
        return Err(structure("a record runs past the end of the file"));
    }
    Ok(buf)
}

fn not_a_pack(reason: String) -> PackError {
    PackError::NotAPack { path: Default::default(), reason }
}

fn structure(reason: &str) -> PackError {
    PackError::NonCanonical { name: "(zip structure)".to_owned(), reason: reason.to_owned() }
}

/// Little-endian reads from a slice; reads past the end give zeros, which every check then refuses.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(head) = self.0.get(..N) {
            out.copy_from_slice(head);
            self.0 = self.0.get(N..).unwrap_or_default();
        } else {
            self.0 = &[];
        }
        out
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_reads_give_zeros() {
        let mut b = Bytes(&[1, 0, 2]);
        assert_eq!(b.u16(), 1);
        assert_eq!(b.u16(), 0);
        assert_eq!(b.u32(), 0);
    }
}
