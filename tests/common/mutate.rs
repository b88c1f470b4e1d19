//! A seeded mutator for the mutation harnesses: reproducible from its seed.

/// A small, fast, seeded generator (xorshift64*), so any failure is reproducible from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// One to five random edits of `input`: bit flips, deletions, duplications, token inserts and
/// replacements, truncation.
pub fn mutate(rng: &mut Rng, input: &[u8], tokens: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + rng.below(64)).min(len);
                out.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(256)).min(len);
                let copy = out[at..end].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, copy);
            }
            3 => {
                let token = tokens[rng.below(tokens.len())];
                out.splice(at..at, token.iter().copied());
            }
            4 => out.truncate(at),
            5 if len > 0 => {
                let i = rng.below(len);
                out[i] = rng.next() as u8;
            }
            _ => {
                let end = (at + rng.below(16)).min(len);
                let token = tokens[rng.below(tokens.len())];
                out.splice(at..end, token.iter().copied());
            }
        }
    }
    out
}
