package io.sipai.gateway.testing;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The routes the gateway's controllers serve, read from Spring MVC's handler mapping so that a new controller
 * method is covered by the tests that walk them without anyone listing it.
 */
public final class Routes {

    /**
     * One method and path pattern of a controller.
     *
     * @param body   the {@code @RequestBody} type, null when the handler takes none
     * @param params the {@code @RequestParam} names and their Java types
     */
    public record Route(String method, String pattern, Type body, Map<String, Class<?>> params) {

        public boolean hasPathVariables() {
            return pattern.contains("{");
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private Routes() {
    }

    /** Every route whose pattern starts with one of {@code prefixes}, in a stable order. */
    public static List<Route> of(RequestMappingHandlerMapping mapping, String... prefixes) {
        List<Route> routes = new ArrayList<>();
        mapping.getHandlerMethods().forEach((info, handler) -> routes.addAll(routes(info, handler, prefixes)));
        routes.sort(Comparator.comparing(Route::toString));
        return routes;
    }

    private static List<Route> routes(RequestMappingInfo info, HandlerMethod handler, String... prefixes) {
        List<Route> routes = new ArrayList<>();
        Type body = null;
        Map<String, Class<?>> params = new LinkedHashMap<>();
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                body = parameter.getGenericParameterType();
            }
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
                params.put(name, parameter.getParameterType());
            }
        }
        for (String pattern : info.getPatternValues()) {
            if (java.util.Arrays.stream(prefixes).noneMatch(pattern::startsWith)) {
                continue;
            }
            for (var method : info.getMethodsCondition().getMethods()) {
                routes.add(new Route(method.name(), pattern, body, Map.copyOf(params)));
            }
        }
        return routes;
    }
}
