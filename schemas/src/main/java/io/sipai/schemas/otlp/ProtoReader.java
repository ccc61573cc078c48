package io.sipai.schemas.otlp;

import java.nio.charset.StandardCharsets;

/** Reads the protobuf wire format, field by field (what the OTLP messages use: varints, fixed64, length-delimited). */
final class ProtoReader {

    private final byte[] bytes;
    private int position;
    private final int limit;
    private int tag;

    ProtoReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private ProtoReader(byte[] bytes, int from, int limit) {
        this.bytes = bytes;
        this.position = from;
        this.limit = limit;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (position >= limit) {
            return false;
        }
        tag = (int) varint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            require(1);
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    long fixed64() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (bytes[position++] & 0xffL) << (8 * i);
        }
        return value;
    }

    byte[] bytes() {
        int length = length();
        byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The embedded message of the current field. */
    ProtoReader message() {
        int length = length();
        ProtoReader inner = new ProtoReader(bytes, position, position + length);
        position += length;
        return inner;
    }

    /** A length prefix that fits in what is left of this message (never negative, never past its end). */
    private int length() {
        long length = varint();
        if (length < 0 || length > limit - position) {
            throw new IllegalArgumentException("length " + length + " does not fit the " + (limit - position)
                    + " bytes left");
        }
        return (int) length;
    }

    private void require(int count) {
        if (count > limit - position) {
            throw new IllegalArgumentException("message ends inside a field");
        }
    }

    /** Skips the current field's value. */
    void skip() {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> {
                require(8);
                position += 8;
            }
            case 2 -> {
                // Not "position += length()": that adds the length to the position read before the length.
                int length = length();
                position += length;
            }
            case 5 -> {
                require(4);
                position += 4;
            }
            default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
        }
    }
}
