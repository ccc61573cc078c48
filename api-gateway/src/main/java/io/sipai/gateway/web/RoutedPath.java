package io.sipai.gateway.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path of a request as routing sees it: decoded, normalized and without {@code ;} path parameters. The raw
 * request URI spells one path many ways ({@code /%76%31/agents}, {@code /v1;x=y/agents}, {@code //v1/agents},
 * {@code /otlp/../v1/agents}), so a filter that decides on a path decides on this one.
 */
public final class RoutedPath {

    private RoutedPath() {
    }

    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
