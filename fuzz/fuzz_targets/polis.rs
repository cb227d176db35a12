//! Pol.is import (`opinion::polis::read_with_times`): `comments.csv` and `votes.csv`, split at the first NUL
//! byte. Whatever is accepted must write back and read back to the same conversation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opinion::polis;

fuzz_target!(|data: &[u8]| {
    let (comments, votes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok((conversation, times)) = polis::read_with_times(comments, votes) else {
        return;
    };
    let (mut c_out, mut v_out) = (Vec::new(), Vec::new());
    polis::write_with_times(&conversation, &times, &mut c_out, &mut v_out)
        .expect("writing to memory");
    let (back, _) =
        polis::read_with_times(c_out.as_slice(), v_out.as_slice()).expect("reading back");
    assert_eq!(back, conversation, "round trip");
});
