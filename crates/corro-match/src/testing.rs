//! Test doubles shared by the matcher's unit tests.

use crate::Aside;

/// An [`Aside`] in memory (with someone else's bytes before each put, so offsets are
/// the caller's own), or one whose writes or reads fail.
#[derive(Default)]
pub(crate) struct Shelf {
    pub bytes: std::sync::Mutex<Vec<u8>>,
    pub puts: std::sync::atomic::AtomicUsize,
    pub fail_put: bool,
    pub fail_read: bool,
}

impl Aside for Shelf {
    fn put(&self, bytes: &[u8]) -> std::io::Result<u64> {
        if self.fail_put {
            return Err(std::io::Error::other("disk full"));
        }
        self.puts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut all = self.bytes.lock().unwrap();
        all.extend_from_slice(b"xyz");
        let at = all.len() as u64;
        all.extend_from_slice(bytes);
        Ok(at)
    }

    fn read(&self, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if self.fail_read {
            return Err(std::io::Error::other("bad sector"));
        }
        let all = self.bytes.lock().unwrap();
        let part = all
            .get(at as usize..at as usize + buf.len())
            .ok_or_else(|| std::io::Error::other("past the end"))?;
        buf.copy_from_slice(part);
        Ok(())
    }
}
