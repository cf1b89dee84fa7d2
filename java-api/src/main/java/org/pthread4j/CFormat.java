package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Tcb;

/**
 * glibc's printf engine for {@link Libc}: the conversion specifications of printf(3), formatted
 * as glibc 2.36 formats them in the "C" locale, whatever Java's default locale is.
 *
 * <h2>Floating point</h2>
 * glibc prints the exact decimal expansion of the binary value, rounded to nearest with ties
 * to even (the default rounding mode), so {@code %.2f} of 0.125 is {@code 0.12} and of 0.375
 * {@code 0.38} (Java's {@code Formatter} rounds ties away from zero: 0.13). Here every decimal
 * conversion starts from {@code new BigDecimal(double)}, which is that exact value, and rounds it
 * with {@link RoundingMode#HALF_EVEN}; {@code %a} rounds its hexadecimal digits the same way.
 *
 * <h2>Arguments</h2>
 * C reads each argument as the type its conversion names. Here each conversion takes a Java
 * value and converts it as a C cast to that type would:
 * <pre>
 *   conversion   takes                                        converted to
 *   d i          an integer (see {@link #address}), null as 0 int; hh: signed char, h: short, l ll j z t: long
 *   u o x X      the same                                     the unsigned type of that width
 *   c            a Character, or an integer                   unsigned char (a Character prints as itself)
 *   s            any object (its toString), a char[] up to    precision: at most that many chars
 *                its first NUL; null prints (null), as glibc
 *   p            any object: {@link #address}; null: (nil)    %#lx
 *   f F e E      any Number (doubleValue; a Float converts    double (L: the same)
 *   g G a A      exactly, as C promotes it)
 *   m            nothing: strerror(errno())
 *   %            nothing
 * </pre>
 * {@code %n} is refused with an {@link IllegalArgumentException} (in C it stores a count; a
 * Java habit reads it as a newline), and so are positional arguments ({@code %1$d}), a missing
 * argument and an argument of the wrong kind. An unknown conversion prints as written, as in
 * glibc. Counts and precisions are in chars (C counts bytes: the same for ASCII).
 */
final class CFormat {

    /** Length modifiers, by the width they give an integer conversion. */
    private static final int HH = 1, H = 2, INT = 4, LONG = 8;

    private CFormat() {}

    /** One conversion specification: {@code %[flags][width][.precision][length]conversion}. */
    private static final class Spec {
        boolean left, plus, space, alt, zero;
        int width;
        int precision = -1;
        int length = INT;
        char conversion;
    }

    /** The text {@code printf(format, args)} prints. */
    static String format(String format, Object... args) {
        if (args == null) {
            args = new Object[] {null}; // printf("%s", null): one NULL argument
        }
        StringBuilder out = new StringBuilder(format.length() + 16);
        int next = 0;
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i++;
            Spec s = new Spec();
            for (char f; i < n && "-+ #0'".indexOf(f = format.charAt(i)) >= 0; i++) {
                switch (f) {
                    case '-' -> s.left = true;
                    case '+' -> s.plus = true;
                    case ' ' -> s.space = true;
                    case '#' -> s.alt = true;
                    case '0' -> s.zero = true;
                    default -> { } // ' (thousands grouping): none in the C locale
                }
            }
            if (i < n && format.charAt(i) == '*') {
                s.width = (int) integer(argument(args, next++), '*');
                if (s.width < 0) {
                    s.left = true;
                    s.width = -s.width;
                }
                i++;
            } else {
                for (; i < n && isDigit(format.charAt(i)); i++) {
                    s.width = s.width * 10 + format.charAt(i) - '0';
                }
                if (i < n && format.charAt(i) == '$') {
                    throw new IllegalArgumentException("printf: positional arguments (%1$d) are not supported: "
                            + format);
                }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    int p = (int) integer(argument(args, next++), '*');
                    s.precision = p < 0 ? -1 : p; // a negative precision is taken as if omitted
                    i++;
                } else {
                    s.precision = 0;
                    for (; i < n && isDigit(format.charAt(i)); i++) {
                        s.precision = s.precision * 10 + format.charAt(i) - '0';
                    }
                }
            }
            for (; i < n && "hlLqjzZt".indexOf(format.charAt(i)) >= 0; i++) {
                s.length = format.charAt(i) == 'h' ? (s.length == H ? HH : H) : LONG;
            }
            if (i == n) {
                out.append(format, start, n); // an unfinished specification
                break;
            }
            s.conversion = format.charAt(i);
            switch (s.conversion) {
                case 'd', 'i', 'u', 'o', 'x', 'X' -> integer(out, s, argument(args, next++));
                case 'c' -> character(out, s, argument(args, next++));
                case 's' -> string(out, s, argument(args, next++));
                case 'm' -> string(out, s, Errno.message(Tcb.current().errno()));
                case 'p' -> pointer(out, s, argument(args, next++));
                case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> floating(out, s, argument(args, next++));
                case '%' -> out.append('%');
                case 'n' -> throw new IllegalArgumentException(
                        "printf: %n stores a count in C and is not supported; a newline is \\n: " + format);
                default -> out.append(format, start, i + 1);
            }
        }
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static Object argument(Object[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("printf: the format needs more than the " + args.length
                    + " arguments given");
        }
        return args[index];
    }

    // ---- integers and pointers -----------------------------------------------------------

    /**
     * What C's {@code (intptr_t) p} gives: an integer box's value (any {@link Number} but
     * Double, Float and BigDecimal; a Character's code), a {@code pthread_t}'s
     * {@link pthread_t#value()}, a {@link MemorySegment}'s address, 0 for null, and for any
     * other object its identity hash code, which stands for its address.
     */
    static long address(Object p) {
        return switch (p) {
            case null -> 0;
            case Double d -> System.identityHashCode(d);
            case Float f -> System.identityHashCode(f);
            case BigDecimal b -> System.identityHashCode(b);
            case Number v -> v.longValue();
            case Character c -> c;
            case pthread_t t -> t.value();
            case MemorySegment m -> m.address();
            default -> System.identityHashCode(p);
        };
    }

    /** The argument of an integer conversion: what {@link #address} takes as an integer. */
    private static long integer(Object a, char conversion) {
        if (a == null || a instanceof Character || a instanceof pthread_t
                || a instanceof Number && !(a instanceof Double || a instanceof Float || a instanceof BigDecimal)) {
            return address(a);
        }
        throw new IllegalArgumentException("printf: %" + conversion + " takes an integer, not a "
                + a.getClass().getName());
    }

    private static void integer(StringBuilder out, Spec s, Object a) {
        char conv = s.conversion;
        boolean signed = conv == 'd' || conv == 'i';
        long v = integer(a, conv);
        v = switch (s.length) {
            case HH -> signed ? (byte) v : v & 0xFF;
            case H -> signed ? (short) v : v & 0xFFFF;
            case INT -> signed ? (int) v : v & 0xFFFF_FFFFL;
            default -> v;
        };
        String digits = switch (conv) {
            case 'd', 'i' -> Long.toUnsignedString(v < 0 ? -v : v); // -Long.MIN_VALUE reads right unsigned
            case 'u' -> Long.toUnsignedString(v);
            case 'o' -> Long.toOctalString(v);
            case 'x' -> Long.toHexString(v);
            default -> Long.toHexString(v).toUpperCase(Locale.ROOT);
        };
        if (s.precision >= 0) {
            digits = v == 0 && s.precision == 0 ? "" : "0".repeat(Math.max(0, s.precision - digits.length())) + digits;
        }
        String prefix = "";
        if (signed) {
            prefix = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        } else if (s.alt && conv == 'o' && !digits.startsWith("0")) {
            digits = "0" + digits;
        } else if (s.alt && v != 0 && (conv == 'x' || conv == 'X')) {
            prefix = conv == 'x' ? "0x" : "0X";
        }
        pad(out, s, prefix, digits, s.zero && s.precision < 0);
    }

    private static void pointer(StringBuilder out, Spec s, Object p) {
        long v = address(p);
        if (v == 0) {
            pad(out, s, "", "(nil)", false);
            return;
        }
        String digits = Long.toHexString(v);
        if (s.precision > digits.length()) {
            digits = "0".repeat(s.precision - digits.length()) + digits;
        }
        // glibc prints %p as %#lx, keeping the + and space flags
        pad(out, s, (s.plus ? "+" : s.space ? " " : "") + "0x", digits, s.zero && s.precision < 0);
    }

    // ---- characters and strings ----------------------------------------------------------

    private static void character(StringBuilder out, Spec s, Object a) {
        char c = a instanceof Character ch ? ch : (char) (integer(a, 'c') & 0xFF);
        pad(out, s, "", String.valueOf(c), false);
    }

    private static void string(StringBuilder out, Spec s, Object a) {
        String str;
        if (a == null) {
            str = s.precision < 0 || s.precision >= 6 ? "(null)" : ""; // glibc: no partial "(null)"
        } else if (a instanceof char[] chars) {
            int end = 0;
            while (end < chars.length && chars[end] != 0) {
                end++;
            }
            str = new String(chars, 0, end);
        } else {
            str = a.toString();
        }
        if (s.precision >= 0 && str.length() > s.precision) {
            str = str.substring(0, s.precision);
        }
        pad(out, s, "", str, false);
    }

    // ---- floating point ------------------------------------------------------------------

    private static void floating(StringBuilder out, Spec s, Object a) {
        if (!(a instanceof Number number)) {
            throw new IllegalArgumentException("printf: %" + s.conversion + " takes a number, not "
                    + (a == null ? "null" : "a " + a.getClass().getName()));
        }
        double d = number.doubleValue();
        long bits = Double.doubleToRawLongBits(d);
        boolean upper = Character.isUpperCase(s.conversion);
        String sign = bits < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        if (!Double.isFinite(d)) {
            String text = Double.isNaN(d) ? "nan" : "inf";
            pad(out, s, sign, upper ? text.toUpperCase(Locale.ROOT) : text, false);
            return;
        }
        BigDecimal x = new BigDecimal(Math.abs(d)); // exact
        String prefix = sign;
        String body = switch (Character.toLowerCase(s.conversion)) {
            case 'f' -> fixed(x, s.precision < 0 ? 6 : s.precision, s.alt);
            case 'e' -> exponential(significant(x, (s.precision < 0 ? 6 : s.precision) + 1), s.alt);
            case 'g' -> general(x, s.precision < 0 ? 6 : Math.max(s.precision, 1), s.alt);
            default -> {
                prefix = sign + (upper ? "0X" : "0x");
                yield hex(bits & Long.MAX_VALUE, s.precision, s.alt);
            }
        };
        pad(out, s, prefix, upper ? body.toUpperCase(Locale.ROOT) : body, s.zero);
    }

    /** {@code %f}: {@code precision} decimals. */
    private static String fixed(BigDecimal x, int precision, boolean alt) {
        String text = x.setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return precision == 0 && alt ? text + "." : text;
    }

    /** A value rounded to {@code digits.length()} significant digits: {@code d.ddd × 10^exponent}. */
    private record Significant(String digits, int exponent) {}

    private static Significant significant(BigDecimal x, int count) {
        if (x.signum() == 0) {
            return new Significant("0".repeat(count), 0);
        }
        BigDecimal r = x.round(new MathContext(count, RoundingMode.HALF_EVEN));
        String unscaled = r.unscaledValue().toString();
        return new Significant(unscaled + "0".repeat(count - unscaled.length()), unscaled.length() - 1 - r.scale());
    }

    /** {@code %e}: {@code d.ddde±xx}, at least two exponent digits. */
    private static String exponential(Significant v, boolean alt) {
        StringBuilder b = new StringBuilder(v.digits.length() + 6).append(v.digits.charAt(0));
        if (v.digits.length() > 1 || alt) {
            b.append('.').append(v.digits, 1, v.digits.length());
        }
        int e = Math.abs(v.exponent);
        return b.append(v.exponent < 0 ? "e-" : "e+").append(e < 10 ? "0" : "").append(e).toString();
    }

    /**
     * {@code %g} with {@code precision} P ≥ 1 significant digits: {@code %e} if the exponent X
     * is below -4 or at least P, else {@code %f} with P - 1 - X decimals; without {@code #},
     * trailing zeros of the fraction go, and the point with them. One glibc quirk is kept:
     * where the value has P integer digits and rounding carries into a P+1st, glibc prints the
     * {@code %e} form with the {@code %f} form's zero decimals ({@code %#g} of 999999.5 is
     * {@code 1.e+06}, not {@code 1.00000e+06}; without {@code #} both read {@code 1e+06}).
     */
    private static String general(BigDecimal x, int precision, boolean alt) {
        Significant v = significant(x, precision);
        int unrounded = x.signum() == 0 ? 0 : x.precision() - x.scale() - 1;
        if (unrounded == precision - 1 && v.exponent == precision) {
            v = new Significant("1", v.exponent);
        }
        String text = v.exponent < -4 || v.exponent >= precision
                ? exponential(v, alt)
                : fixed(x, precision - 1 - v.exponent, alt);
        if (alt) {
            return text;
        }
        int e = text.indexOf('e');
        String mantissa = e < 0 ? text : text.substring(0, e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return e < 0 ? mantissa : mantissa + text.substring(e);
    }

    /**
     * {@code %a} after its {@code 0x}: {@code h.hhhp±d} of a non-negative double's bits. glibc
     * prints a normal number as {@code 1.…p<exponent>}, a subnormal as {@code 0.…p-1022}, zero
     * as {@code 0p+0}; without a precision, as many of the 13 fraction digits as the value
     * needs; with one, rounded to nearest, ties to even, a carry going into the leading digit.
     */
    private static String hex(long bits, int precision, boolean alt) {
        int biased = (int) (bits >>> 52);
        long fraction = bits & ((1L << 52) - 1);
        int lead = biased == 0 ? 0 : 1;
        int exponent = biased != 0 ? biased - 1023 : fraction == 0 ? 0 : -1022;
        String digits = Long.toHexString(fraction | 1L << 52).substring(1); // 13 digits
        if (precision < 0) {
            digits = digits.replaceFirst("0+$", "");
        } else if (precision < digits.length()) {
            int next = Character.digit(digits.charAt(precision), 16);
            boolean more = (next & 7) != 0 || !digits.substring(precision + 1).matches("0*");
            long kept = precision == 0 ? 0 : Long.parseLong(digits.substring(0, precision), 16);
            long last = precision == 0 ? lead : kept;
            if (next >= 8 && ((last & 1) != 0 || more)) {
                kept++;
                if (kept == 1L << 4 * precision) {
                    kept = 0;
                    lead++;
                }
            }
            digits = precision == 0 ? "" : Long.toHexString(kept | 1L << 4 * precision).substring(1);
        } else {
            digits += "0".repeat(precision - digits.length());
        }
        String point = digits.isEmpty() && !alt ? "" : "." + digits;
        return lead + point + (exponent < 0 ? "p-" : "p+") + Math.abs(exponent);
    }

    // ---- padding ---------------------------------------------------------------------------

    /** Appends prefix and body to the field width: spaces before (after, with -), or zeros between. */
    private static void pad(StringBuilder out, Spec s, String prefix, String body, boolean zeros) {
        int fill = s.width - prefix.length() - body.length();
        if (fill <= 0) {
            out.append(prefix).append(body);
        } else if (s.left) {
            out.append(prefix).append(body).repeat(' ', fill);
        } else if (zeros) {
            out.append(prefix).repeat('0', fill).append(body);
        } else {
            out.repeat(' ', fill).append(prefix).append(body);
        }
    }
}
