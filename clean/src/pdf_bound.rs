//! A pre-pass that bounds what lopdf will do with a PDF before it is loaded.
//!
//! lopdf 0.47 parses one object per cross-reference entry, each from its offset against
//! the whole file, and inflates every object stream it meets. Nothing in it stops many
//! entries naming the same large object, streams whose `/Length` runs over the objects
//! after them, or many small streams that each inflate to its per-stream limit; and it
//! offers no hook that could stop a load early. So this module reads the
//! cross-reference data itself (classic tables, cross-reference streams, `/XRefStm` and
//! `/Prev`), works out how many bytes lopdf's parse of each entry covers (the object's
//! dictionary, its stream data as its `/Length` says, the inflated object streams, and
//! each indirect `/Length` it resolves), and adds them up, entry by entry, stopping as
//! soon as the sum passes [`budget`]. The same sum is taken over every `N G obj` header
//! in the file, which is what lopdf parses when it rebuilds a table it could not use.
//! Each distinct offset is read once here, and reading stops at the budget, so this
//! pass is bounded too.

use lopdf::{Dictionary, Object, Stream, StringFormat};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The work allowed for one file: four times its size, plus 32 MiB for the inflated
/// object streams of a small file. An ordinary file costs about its size plus what its
/// object streams inflate to.
pub fn budget(len: usize) -> u64 {
    4 * len as u64 + (32 << 20)
}

/// Why the pre-pass refused a file.
#[derive(Debug, PartialEq, Eq)]
pub struct OverBudget;

/// Whether loading `bytes` with lopdf stays within [`budget`] (each way lopdf may read
/// it); what is left of the budget is returned, for the XMP streams the cleaner
/// inflates afterwards.
pub fn check(bytes: &[u8], max_inflated: usize) -> Result<u64, OverBudget> {
    let budget = budget(bytes.len());
    let mut walk = Walk {
        bytes,
        max_inflated,
        spent: 0,
        budget: 2 * budget,
        memo: HashMap::new(),
        offsets: BTreeMap::new(),
        bounds: Vec::new(),
    };
    // The cross-reference data lopdf reads, if this pass reads it too; then every
    // object header, as lopdf finds them when it rebuilds the table.
    let headers = distinct(headers(bytes));
    let from_xref = match walk.xref() {
        Some(entries) => distinct(entries),
        // No cross-reference data where the file says: lopdf rebuilds it from the
        // headers, which the sum below covers.
        None if xref_starts(bytes).is_empty() => headers.clone(),
        // Data lopdf might still read (it repairs some damage) but this pass cannot:
        // what lopdf would do with it is not known, so the file is not checked.
        None => return Err(OverBudget),
    };
    // In most files the two agree, and one sum does for both.
    let ways = if headers == from_xref {
        vec![headers]
    } else {
        vec![from_xref, headers]
    };
    let mut most = 0;
    for entries in ways {
        walk.offsets = entries.iter().map(|(&n, o)| (n, o[0])).collect();
        walk.bounds = entries.values().flatten().copied().collect();
        walk.bounds.sort_unstable();
        walk.bounds.dedup();
        walk.memo.clear();
        let mut sum = 0u64;
        // An object's entry may come from any section (the merge is lopdf's): count
        // the costliest.
        for offsets in entries.values() {
            let mut costliest = 0;
            for &offset in offsets {
                costliest = costliest.max(walk.cost(offset, 0)?);
            }
            sum += costliest;
            if sum > budget {
                return Err(OverBudget);
            }
        }
        most = most.max(sum);
    }
    Ok(budget - most)
}

/// Object number to every offset given for it as in use, the newest first.
type Entries = BTreeMap<u32, Vec<usize>>;

/// The offsets the `startxref` keywords near the end give (lopdf takes the one before
/// the last `%%EOF` in the last kilobyte, white space after it aside), and the last
/// one in the file, for good measure.
fn xref_starts(b: &[u8]) -> Vec<i64> {
    let end = b.iter().rposition(|&c| !is_ws(c)).map_or(0, |p| p + 1);
    let from = end.saturating_sub(2048);
    let near = memchr::memmem::find_iter(&b[from..], b"startxref").map(|p| from + p);
    let last = memchr::memmem::rfind(b, b"startxref");
    let mut starts: Vec<i64> = near
        .chain(last)
        .filter_map(|at| Some(int(b, ws(b, at + 9))?.0))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

struct Walk<'a> {
    bytes: &'a [u8],
    max_inflated: usize,
    /// Bytes this pass has read or inflated itself, and the most it may (the budget
    /// for each of the two ways lopdf may read the file).
    spent: u64,
    budget: u64,
    /// The cost of lopdf parsing the object at an offset.
    memo: HashMap<usize, u64>,
    /// Object number to offset, for indirect `/Length`s.
    offsets: BTreeMap<u32, usize>,
    /// Sorted distinct offsets: where lopdf stops looking for a stream's end.
    bounds: Vec<usize>,
}

impl<'a> Walk<'a> {
    /// The in-use entries of the cross-reference data from every `startxref` lopdf
    /// might take, with their `/Prev` chains, or `None` if one of them does not read.
    fn xref(&mut self) -> Option<Entries> {
        let starts = xref_starts(self.bytes);
        if starts.is_empty() {
            return None;
        }
        let mut merged = Entries::new();
        let mut seen = HashSet::new();
        for start in starts {
            self.chain(start, &mut merged, &mut seen)?;
        }
        Some(merged)
    }

    /// The sections from `next` on, following `/Prev`, into `merged`; `None` if the
    /// first does not read. An older section that does not read ends the chain: lopdf
    /// then rebuilds the table from the headers, which [`check`] sums too.
    fn chain(
        &mut self,
        mut next: i64,
        merged: &mut Entries,
        seen: &mut HashSet<i64>,
    ) -> Option<()> {
        let b = self.bytes;
        let mut first = true;
        while seen.insert(next) && seen.len() <= 10_000 {
            // Reading the sections is work too.
            if self.spent > self.budget {
                return None;
            }
            let section = usize::try_from(next).ok().and_then(|at| {
                let start = correct(b, at);
                let p = ws(b, start.min(b.len()));
                if b[p..].starts_with(b"xref") {
                    let (trailer, _) = self.table(p + 4, merged)?;
                    // An unreadable hybrid stream is left out, by lopdf too.
                    if let Ok(Object::Integer(x)) = trailer.get(b"XRefStm")
                        && let Ok(at) = usize::try_from(*x)
                    {
                        let _ = self.stream_section(at, merged);
                    }
                    Some(trailer)
                } else {
                    self.stream_section(start, merged)
                }
            });
            let Some(trailer) = section else {
                return (!first).then_some(());
            };
            first = false;
            match trailer.get(b"Prev") {
                Ok(Object::Integer(prev)) => next = *prev,
                _ => break,
            }
        }
        Some(())
    }

    /// A classic table from after its `xref` keyword, and its trailer.
    fn table(&mut self, mut p: usize, merged: &mut Entries) -> Option<(Dictionary, usize)> {
        let b = self.bytes;
        let start = p;
        loop {
            p = ws(b, p);
            if b[p..].starts_with(b"trailer") {
                let mut parser = Parser::new(b);
                let (dict, end) = parser.object(ws(b, p + 7), 0)?;
                self.spend((end - start) as u64);
                return Some((dict.as_dict().ok()?.clone(), end));
            }
            let (first, q) = int(b, p)?;
            let (count, q) = int(b, ws(b, q))?;
            p = q;
            for i in 0..count {
                let (offset, q) = int(b, ws(b, p))?;
                let (_, q) = int(b, ws(b, q))?;
                let q = ws(b, q);
                let kind = *b.get(q)?;
                p = q + 1;
                let n = u32::try_from(first.checked_add(i)?).ok()?;
                match kind {
                    b'n' => add(merged, n, usize::try_from(offset).ok()?),
                    b'f' => {}
                    _ => return None,
                }
            }
        }
    }

    /// A cross-reference stream at `at`: its entries into `merged`, its dictionary back.
    fn stream_section(&mut self, at: usize, merged: &mut Entries) -> Option<Dictionary> {
        let (dict, data) = self.stream_at(at)?;
        // Some writers leave out `/Type /XRef`; lopdf goes by `/W`.
        if !dict.has(b"W") {
            return None;
        }
        let rows = self.inflate(&dict, data).ok()?;
        self.spend(rows.len() as u64);
        let w: Vec<usize> = dict
            .get(b"W")
            .ok()?
            .as_array()
            .ok()?
            .iter()
            .map(|x| x.as_i64().ok().and_then(|x| usize::try_from(x).ok()))
            .collect::<Option<_>>()?;
        if w.len() != 3 || w.iter().any(|&x| x > 8) {
            return None;
        }
        let row = w.iter().sum::<usize>();
        let index: Vec<i64> = match dict.get(b"Index") {
            Ok(Object::Array(a)) => a.iter().map(|x| x.as_i64().ok()).collect::<Option<_>>()?,
            _ => vec![0, dict.get(b"Size").ok()?.as_i64().ok()?],
        };
        let field = |r: &[u8], from: usize, width: usize, default: u64| {
            if width == 0 {
                default
            } else {
                r[from..from + width]
                    .iter()
                    .fold(0u64, |v, &x| (v << 8) | u64::from(x))
            }
        };
        let mut rows = rows.chunks_exact(row.max(1));
        for pair in index.chunks_exact(2) {
            for i in 0..pair[1].max(0) {
                let Some(r) = rows.next() else { break };
                let n = u32::try_from(pair[0].checked_add(i)?).ok()?;
                if field(r, 0, w[0], 1) == 1 {
                    add(merged, n, usize::try_from(field(r, w[0], w[1], 0)).ok()?);
                }
            }
        }
        Some(dict)
    }

    /// The dictionary and data of a stream object whose header is at `at`, if its
    /// `/Length` is direct and its data ends with `endstream`.
    fn stream_at(&mut self, at: usize) -> Option<(Dictionary, &'a [u8])> {
        let b = self.bytes;
        let body = object_body(b, at)?;
        let mut parser = Parser::new(b);
        let (dict, p) = parser.object(body, 0)?;
        self.spend((p - at) as u64);
        let dict = dict.as_dict().ok()?.clone();
        let data = stream_keyword(b, p)?;
        let length = dict.get(b"Length").and_then(Object::as_i64).ok();
        let end = length
            .and_then(|l| data.checked_add(usize::try_from(l).ok()?))
            .filter(|&end| ends_stream(b, end).is_some())
            // A wrong length: lopdf takes the data up to `endstream`.
            .or_else(|| {
                let at = data + memchr::memmem::find(&b[data..], b"endstream")?;
                let end = b[..at].strip_suffix(b"\n").map_or(at, <[u8]>::len);
                let end = b[..end].strip_suffix(b"\r").map_or(end, <[u8]>::len);
                // `endstream` right after `stream` and its end of line: no data.
                Some(end.max(data))
            })?;
        self.spend((end - data) as u64);
        Some((dict, &b[data..end]))
    }

    /// What lopdf's parse of the object at `offset` costs, in bytes read or inflated.
    fn cost(&mut self, offset: usize, depth: usize) -> Result<u64, OverBudget> {
        if let Some(&c) = self.memo.get(&offset) {
            return Ok(c);
        }
        let c = self.measure(offset, depth)?;
        self.memo.insert(offset, c);
        self.spend(c);
        if self.spent > self.budget {
            return Err(OverBudget);
        }
        Ok(c)
    }

    fn measure(&mut self, offset: usize, depth: usize) -> Result<u64, OverBudget> {
        let b = self.bytes;
        let Some(body) = object_body(b, offset) else {
            return Ok(32);
        };
        let mut parser = Parser::new(b);
        let Some((object, p)) = parser.object(body, 0) else {
            // lopdf fails on it too, having read about as far.
            return Ok((parser.far.max(body) - offset) as u64);
        };
        let mut cost = (p - offset) as u64;
        let Object::Dictionary(dict) = object else {
            return Ok(cost);
        };
        let Some(data) = stream_keyword(b, p) else {
            return Ok(cost);
        };
        let length = match dict.get(b"Length") {
            Ok(Object::Integer(l)) => Some(*l),
            Ok(Object::Reference(id)) if depth < 4 => match self.offsets.get(&id.0).copied() {
                Some(at) => {
                    // lopdf reads the referenced object for each stream that names it.
                    cost += self.cost(at, depth + 1)?;
                    object_body(b, at)
                        .and_then(|body| Parser::new(b).object(body, 0))
                        .and_then(|(o, _)| o.as_i64().ok())
                }
                None => None,
            },
            _ => None,
        };
        let taken = length
            .and_then(|l| usize::try_from(l).ok())
            .and_then(|l| data.checked_add(l))
            .filter(|&end| ends_stream(b, end).is_some());
        match taken {
            Some(end) => {
                cost += (end - data) as u64;
                if dict.has_type(b"ObjStm") {
                    let inflated = self.inflate(&dict, &b[data..end])?;
                    cost += inflated.len() as u64;
                }
            }
            None => {
                // lopdf looks for `endstream` up to the next object.
                let i = self.bounds.partition_point(|&o| o <= offset);
                let bound = self.bounds.get(i).copied().unwrap_or(b.len());
                cost += bound.saturating_sub(data) as u64;
            }
        }
        Ok(cost)
    }

    /// A stream's data inflated through its filters, within what is left of the budget
    /// and the per-stream limit.
    fn inflate(&mut self, dict: &Dictionary, data: &[u8]) -> Result<Vec<u8>, OverBudget> {
        let left = self.budget.saturating_sub(self.spent);
        let limit = usize::try_from(left)
            .unwrap_or(usize::MAX)
            .min(self.max_inflated);
        let stream = Stream::new(dict.clone(), data.to_vec());
        match stream.decompressed_content_with_limit(limit) {
            Ok(content) => Ok(content),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(OverBudget),
            // Not compressed, or not decodable: lopdf takes the data as it is or fails.
            Err(_) => Ok(data.to_vec()),
        }
    }

    fn spend(&mut self, n: u64) {
        self.spent = self.spent.saturating_add(n);
    }
}

/// An in-use entry for object `n` at `offset` (repeats are removed by [`distinct`]).
fn add(entries: &mut Entries, n: u32, offset: usize) {
    let offsets = entries.entry(n).or_default();
    if offsets.last() != Some(&offset) {
        offsets.push(offset);
    }
}

/// Each object's offsets once, the newest still first.
fn distinct(mut entries: Entries) -> Entries {
    for offsets in entries.values_mut() {
        let newest = offsets[0];
        offsets.sort_unstable();
        offsets.dedup();
        let at = offsets.binary_search(&newest).unwrap_or(0);
        offsets.swap(0, at);
    }
    entries
}

/// Where lopdf reads a cross-reference section `startxref` or `/Prev` puts at
/// `offset`: there, or at the nearest `xref` keyword or object header within 64 bytes.
fn correct(b: &[u8], offset: usize) -> usize {
    let rest = b.get(offset..).unwrap_or_default();
    if rest.starts_with(b"xref") || object_body(b, offset).is_some() || offset >= b.len() {
        return offset;
    }
    let from = offset.saturating_sub(64);
    let to = (offset + 64).min(b.len());
    let nearest =
        |found: &mut dyn Iterator<Item = usize>| found.min_by_key(|&p| p.abs_diff(offset));
    nearest(
        &mut memchr::memmem::find_iter(&b[from..to], b"xref")
            .map(|p| from + p)
            .filter(|&p| p < 5 || &b[p - 5..p] != b"start"),
    )
    .or_else(|| {
        nearest(
            &mut (from..to)
                .filter(|&p| (p == 0 || !b[p - 1].is_ascii_digit()) && object_body(b, p).is_some()),
        )
    })
    .unwrap_or(offset)
}

/// Every `N G obj` header: its object number and where it starts.
fn headers(b: &[u8]) -> Entries {
    let mut found = Entries::new();
    for at in memchr::memmem::find_iter(b, b"obj") {
        // Back over `ws G ws N`.
        let mut p = at;
        let digits = |p: &mut usize| {
            let end = *p;
            while *p > 0 && b[*p - 1].is_ascii_digit() {
                *p -= 1;
            }
            (*p < end).then(|| std::str::from_utf8(&b[*p..end]).ok()?.parse::<u32>().ok())
        };
        let skip = |p: &mut usize| {
            let end = *p;
            while *p > 0 && is_ws(b[*p - 1]) {
                *p -= 1;
            }
            *p < end
        };
        let _ = skip(&mut p);
        if digits(&mut p).flatten().is_none() || !skip(&mut p) {
            continue;
        }
        if let Some(Some(n)) = digits(&mut p) {
            add(&mut found, n, p);
        }
    }
    found
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Past white space and comments.
fn ws(b: &[u8], mut p: usize) -> usize {
    while p < b.len() {
        if is_ws(b[p]) {
            p += 1;
        } else if b[p] == b'%' {
            while p < b.len() && b[p] != b'\n' && b[p] != b'\r' {
                p += 1;
            }
        } else {
            break;
        }
    }
    p
}

/// An unsigned integer at `p`. At most 20 digits are looked at (more do not fit an
/// `i64` anyway), so trying this at many places in a long run of digits stays cheap.
fn int(b: &[u8], p: usize) -> Option<(i64, usize)> {
    let end = p + b
        .get(p..)?
        .iter()
        .take(20)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let n = std::str::from_utf8(&b[p..end]).ok()?.parse().ok()?;
    Some((n, end))
}

/// Where the object after the `N G obj` header at `at` starts.
fn object_body(b: &[u8], at: usize) -> Option<usize> {
    let (_, p) = int(b, ws(b, at.min(b.len())))?;
    let (_, p) = int(b, ws(b, p))?;
    let p = ws(b, p);
    b[p..].starts_with(b"obj").then(|| ws(b, p + 3))
}

/// Where a stream's data starts, if the `stream` keyword follows a dictionary at `p`.
fn stream_keyword(b: &[u8], p: usize) -> Option<usize> {
    let mut p = p;
    while b.get(p).is_some_and(|&c| is_ws(c)) {
        p += 1;
    }
    if !b[p..].starts_with(b"stream") {
        return None;
    }
    p += 6;
    while b.get(p).is_some_and(|&c| c == b' ' || c == b'\t') {
        p += 1;
    }
    if b[p..].starts_with(b"\r\n") {
        Some(p + 2)
    } else if b.get(p).is_some_and(|&c| c == b'\n' || c == b'\r') {
        Some(p + 1)
    } else {
        None
    }
}

/// Whether `endstream` follows stream data that ends at `end` (after an optional EOL).
fn ends_stream(b: &[u8], end: usize) -> Option<()> {
    let rest = b.get(end..)?;
    let rest = rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
        .or_else(|| rest.strip_prefix(b"\r"))
        .unwrap_or(rest);
    rest.starts_with(b"endstream").then_some(())
}

/// Direct PDF objects, as far as this pass needs them; `far` is how far it read.
struct Parser<'a> {
    b: &'a [u8],
    far: usize,
}

impl<'a> Parser<'a> {
    fn new(b: &'a [u8]) -> Self {
        Parser { b, far: 0 }
    }

    fn object(&mut self, p: usize, depth: usize) -> Option<(Object, usize)> {
        let b = self.b;
        self.far = self.far.max(p);
        if depth > 100 {
            return None;
        }
        let c = *b.get(p)?;
        let (object, end) = match c {
            b'/' => {
                let end = p
                    + 1
                    + b[p + 1..]
                        .iter()
                        .take_while(|&&c| !is_ws(c) && !is_delim(c))
                        .count();
                (Object::Name(b[p + 1..end].to_vec()), end)
            }
            b'(' => {
                let mut level = 0usize;
                let mut q = p;
                loop {
                    match *b.get(q)? {
                        b'\\' => q += 1,
                        b'(' => level += 1,
                        b')' => {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    q += 1;
                    self.far = q;
                }
                (
                    Object::String(b[p + 1..q].to_vec(), StringFormat::Literal),
                    q + 1,
                )
            }
            b'<' if b.get(p + 1) == Some(&b'<') => {
                let mut dict = Dictionary::new();
                let mut q = ws(b, p + 2);
                while !b[q..].starts_with(b">>") {
                    let (key, r) = self.object(q, depth + 1)?;
                    let Object::Name(key) = key else { return None };
                    let (value, r) = self.object(ws(b, r), depth + 1)?;
                    dict.set(key, value);
                    q = ws(b, r);
                }
                (Object::Dictionary(dict), q + 2)
            }
            b'<' => {
                let q = p + 1 + memchr::memchr(b'>', &b[p + 1..])?;
                self.far = q;
                (Object::String(Vec::new(), StringFormat::Hexadecimal), q + 1)
            }
            b'[' => {
                let mut items = Vec::new();
                let mut q = ws(b, p + 1);
                while *b.get(q)? != b']' {
                    let (item, r) = self.object(q, depth + 1)?;
                    items.push(item);
                    q = ws(b, r);
                }
                (Object::Array(items), q + 1)
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let end = p + b[p..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
                    .count();
                let text = std::str::from_utf8(&b[p..end]).ok()?;
                match text.parse::<i64>() {
                    Ok(n) => {
                        // `N G R` is a reference.
                        let reference = int(b, ws(b, end)).and_then(|(g, q)| {
                            let q = ws(b, q);
                            let id = (u32::try_from(n).ok()?, u16::try_from(g).ok()?);
                            (b.get(q) == Some(&b'R') && ws(b, end) > end)
                                .then_some((Object::Reference(id), q + 1))
                        });
                        reference.unwrap_or((Object::Integer(n), end))
                    }
                    Err(_) => (Object::Real(text.parse().unwrap_or(0.0)), end),
                }
            }
            _ => {
                let end = p + b[p..]
                    .iter()
                    .take_while(|&&c| !is_ws(c) && !is_delim(c))
                    .count();
                match &b[p..end] {
                    b"true" => (Object::Boolean(true), end),
                    b"false" => (Object::Boolean(false), end),
                    b"null" => (Object::Null, end),
                    _ => return None,
                }
            }
        };
        self.far = self.far.max(end);
        Some((object, end))
    }
}
