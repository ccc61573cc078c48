package io.sipai.gateway.web.internal;

import java.beans.PropertyEditorSupport;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Integer query and path parameters ({@code limit}, {@code after}) are read only as ASCII decimal digits with an
 * optional minus. Spring's default conversion uses Integer.decode, which also takes {@code 0x10}, {@code #10},
 * {@code 010} as octal and non-ASCII digits, and falls back to it even when a stricter converter refuses; a binder
 * editor is consulted first and has no fallback, so a refusal is a 400 {@code invalid-parameter}.
 */
@ControllerAdvice
public class DecimalParameters {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    @InitBinder
    void strictIntegers(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Decimal(Math::toIntExact));
        binder.registerCustomEditor(Integer.class, new Decimal(Math::toIntExact));
        binder.registerCustomEditor(long.class, new Decimal(Long::valueOf));
        binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf));
    }

    /** Parses decimal text to a long, then narrows it ({@code Math.toIntExact} refuses what an int cannot hold). */
    private static final class Decimal extends PropertyEditorSupport {
        private final LongFunction<Object> narrow;

        Decimal(LongFunction<Object> narrow) {
            this.narrow = narrow;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || !DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("not a decimal integer");
            }
            try {
                setValue(narrow.apply(Long.parseLong(text)));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("out of range", e);
            }
        }
    }
}
