//! HTTP/2 的 9 字节帧头（RFC 9113 第 4.1 节）：解析、编码，以及把一段字节流切成帧。

// ANCHOR: frame-header
/// 每个 HTTP/2 帧都以固定 9 字节的帧头开始，后面跟 `length` 字节的载荷。
pub const FRAME_HEADER_LEN: usize = 9;

/// 对端没有用 SETTINGS_MAX_FRAME_SIZE 调大之前，载荷最多 2^14 字节。
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 1 << 14;

/// 帧类型（RFC 9113 第 6 章）。不认识的类型必须忽略，而不是报错，
/// 所以保留原始数值，方便协议以后扩展新帧。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameType {
    Data,
    Headers,
    Priority,
    RstStream,
    Settings,
    PushPromise,
    Ping,
    GoAway,
    WindowUpdate,
    Continuation,
    Unknown(u8),
}

impl FrameType {
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x0 => Self::Data,
            0x1 => Self::Headers,
            0x2 => Self::Priority,
            0x3 => Self::RstStream,
            0x4 => Self::Settings,
            0x5 => Self::PushPromise,
            0x6 => Self::Ping,
            0x7 => Self::GoAway,
            0x8 => Self::WindowUpdate,
            0x9 => Self::Continuation,
            other => Self::Unknown(other),
        }
    }

    pub fn to_u8(self) -> u8 {
        match self {
            Self::Data => 0x0,
            Self::Headers => 0x1,
            Self::Priority => 0x2,
            Self::RstStream => 0x3,
            Self::Settings => 0x4,
            Self::PushPromise => 0x5,
            Self::Ping => 0x6,
            Self::GoAway => 0x7,
            Self::WindowUpdate => 0x8,
            Self::Continuation => 0x9,
            Self::Unknown(v) => v,
        }
    }
}

/// DATA、HEADERS 上的 END_STREAM 标志：这个方向上的流到此结束。
pub const END_STREAM: u8 = 0x1;
/// HEADERS 上的 END_HEADERS 标志：头部块到此完整，后面没有 CONTINUATION。
pub const END_HEADERS: u8 = 0x4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// 载荷长度，24 位。
    pub length: u32,
    pub kind: FrameType,
    pub flags: u8,
    /// 流标识符，31 位；0 表示作用于整条连接的帧（SETTINGS、PING、GOAWAY）。
    pub stream_id: u32,
}

impl FrameHeader {
    /// 从缓冲区开头解析帧头；不足 9 字节时返回 `None`，等更多数据到来。
    pub fn parse(buf: &[u8]) -> Option<Self> {
        let b: &[u8; FRAME_HEADER_LEN] = buf.get(..FRAME_HEADER_LEN)?.try_into().ok()?;
        let length = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        // 流标识符前面有 1 个保留位 R：发送时必须为 0，接收时必须忽略，所以直接屏蔽掉。
        let stream_id = u32::from_be_bytes([b[5], b[6], b[7], b[8]]) & 0x7fff_ffff;
        Some(Self {
            length,
            kind: FrameType::from_u8(b[3]),
            flags: b[4],
            stream_id,
        })
    }

    pub fn encode(&self) -> [u8; FRAME_HEADER_LEN] {
        assert!(self.length < 1 << 24, "长度只有 24 位");
        let len = self.length.to_be_bytes();
        let id = (self.stream_id & 0x7fff_ffff).to_be_bytes();
        [
            len[1],
            len[2],
            len[3],
            self.kind.to_u8(),
            self.flags,
            id[0],
            id[1],
            id[2],
            id[3],
        ]
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum FrameError {
    /// 载荷超过了本端通告的 SETTINGS_MAX_FRAME_SIZE，对端应以 FRAME_SIZE_ERROR 处理。
    FrameSize { length: u32, max: u32 },
}

/// 一个完整的帧：帧头和借用自接收缓冲区的载荷。
pub type Frame<'a> = (FrameHeader, &'a [u8]);

/// 把一段已收到的字节切成完整的帧，返回 (帧头, 载荷) 列表和剩余的不完整字节数。
/// 多个流的帧在同一条连接上交错出现，接收方只靠帧头里的流标识符把它们分开。
pub fn split_frames(
    buf: &[u8],
    max_frame_size: u32,
) -> Result<(Vec<Frame<'_>>, usize), FrameError> {
    let mut buf = buf;
    let mut frames = Vec::new();
    while let Some(h) = FrameHeader::parse(buf) {
        if h.length > max_frame_size {
            return Err(FrameError::FrameSize {
                length: h.length,
                max: max_frame_size,
            });
        }
        let end = FRAME_HEADER_LEN + h.length as usize;
        if buf.len() < end {
            break; // 载荷还没收全
        }
        frames.push((h, &buf[FRAME_HEADER_LEN..end]));
        buf = &buf[end..];
    }
    Ok((frames, buf.len()))
}
// ANCHOR_END: frame-header

/// 客户端连接前言：24 字节的魔数，之后紧跟一个 SETTINGS 帧（RFC 9113 第 3.4 节）。
pub const CLIENT_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// 组一帧：帧头加载荷。
pub fn frame(kind: FrameType, flags: u8, stream_id: u32, payload: &[u8]) -> Vec<u8> {
    let h = FrameHeader {
        length: payload.len() as u32,
        kind,
        flags,
        stream_id,
    };
    let mut v = h.encode().to_vec();
    v.extend_from_slice(payload);
    v
}

/// 两个请求（流 1 和流 3）的响应交错写在同一条连接上，供示例和测试使用。
pub fn interleaved_responses() -> Vec<u8> {
    let mut wire = Vec::new();
    wire.extend(frame(FrameType::Headers, END_HEADERS, 1, b"<hpack:200>"));
    wire.extend(frame(FrameType::Headers, END_HEADERS, 3, b"<hpack:200>"));
    wire.extend(frame(FrameType::Data, 0, 1, b"style.css part 1 "));
    wire.extend(frame(FrameType::Data, END_STREAM, 3, b"app.js (small)"));
    wire.extend(frame(FrameType::Data, END_STREAM, 1, b"style.css part 2"));
    wire
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_empty_settings_frame_after_the_preface() {
        // 客户端前言之后的第一个帧：空 SETTINGS，长度 0、类型 4、无标志、流 0。
        let mut wire = CLIENT_PREFACE.to_vec();
        wire.extend([0, 0, 0, 4, 0, 0, 0, 0, 0]);
        let h = FrameHeader::parse(&wire[24..]).unwrap();
        assert_eq!(
            h,
            FrameHeader {
                length: 0,
                kind: FrameType::Settings,
                flags: 0,
                stream_id: 0
            }
        );
    }

    #[test]
    fn fields_are_big_endian_and_the_reserved_bit_is_ignored() {
        // 长度 0x012345，HEADERS，END_STREAM|END_HEADERS，保留位置 1、流 5。
        let bytes = [0x01, 0x23, 0x45, 0x01, 0x05, 0x80, 0x00, 0x00, 0x05];
        let h = FrameHeader::parse(&bytes).unwrap();
        assert_eq!(h.length, 0x012345);
        assert_eq!(h.kind, FrameType::Headers);
        assert_eq!(h.flags, END_STREAM | END_HEADERS);
        assert_eq!(h.stream_id, 5);
        // 重新编码时保留位写 0。
        assert_eq!(
            h.encode(),
            [0x01, 0x23, 0x45, 0x01, 0x05, 0x00, 0x00, 0x00, 0x05]
        );
    }

    #[test]
    fn unknown_types_survive_a_round_trip() {
        let h = FrameHeader {
            length: 7,
            kind: FrameType::Unknown(0xfa),
            flags: 0,
            stream_id: 9,
        };
        assert_eq!(FrameHeader::parse(&h.encode()), Some(h));
    }

    #[test]
    fn fewer_than_nine_bytes_is_not_yet_a_header() {
        assert_eq!(FrameHeader::parse(&[0, 0, 0, 4, 0, 0, 0, 0]), None);
    }

    #[test]
    fn interleaved_frames_are_put_back_together_by_stream_id() {
        let wire = interleaved_responses();
        let (frames, rest) = split_frames(&wire, DEFAULT_MAX_FRAME_SIZE).unwrap();
        assert_eq!(rest, 0);
        let ids: Vec<u32> = frames.iter().map(|(h, _)| h.stream_id).collect();
        assert_eq!(ids, [1, 3, 1, 3, 1]);
        // 流 3 的响应比流 1 先结束，虽然流 1 先开始：没有谁要等谁。
        let first_end = frames
            .iter()
            .find(|(h, _)| h.flags & END_STREAM != 0)
            .unwrap();
        assert_eq!(first_end.0.stream_id, 3);
        let body1: Vec<u8> = frames
            .iter()
            .filter(|(h, _)| h.stream_id == 1 && h.kind == FrameType::Data)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        assert_eq!(body1, b"style.css part 1 style.css part 2");
    }

    #[test]
    fn a_partial_frame_waits_for_more_bytes() {
        let wire = interleaved_responses();
        let cut = wire.len() - 3;
        let (frames, rest) = split_frames(&wire[..cut], DEFAULT_MAX_FRAME_SIZE).unwrap();
        assert_eq!(frames.len(), 4);
        assert_eq!(rest, FRAME_HEADER_LEN + b"style.css part 2".len() - 3);
    }

    #[test]
    fn a_frame_larger_than_max_frame_size_is_an_error() {
        let big = FrameHeader {
            length: DEFAULT_MAX_FRAME_SIZE + 1,
            kind: FrameType::Data,
            flags: 0,
            stream_id: 1,
        };
        assert_eq!(
            split_frames(&big.encode(), DEFAULT_MAX_FRAME_SIZE),
            Err(FrameError::FrameSize {
                length: 16385,
                max: 16384
            })
        );
    }
}
