package io.sipai.gateway.problems.internal;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Makes {@link ProblemReportValve} the Tomcat host's error report valve. Spring Boot adds its own HTML
 * ErrorReportValve to the host (context customizer of its TomcatWebServerFactoryCustomizer, order 0); this runs
 * after it, removes every other error report valve, and names ours as the host's error report valve class so the
 * host does not add the default one back when it starts.
 */
@Component
public class ContainerErrorConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
        Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> install(context.getParent()));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static void install(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (host instanceof StandardHost standardHost) {
            standardHost.setErrorReportValveClass(ProblemReportValve.class.getName());
        }
        host.getPipeline().addValve(new ProblemReportValve());
    }
}
