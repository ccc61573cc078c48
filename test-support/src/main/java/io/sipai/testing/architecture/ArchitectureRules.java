package io.sipai.testing.architecture;

import java.util.List;
import java.util.Locale;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering every sipai service keeps, as ArchUnit rules over its production classes:
 * <ol>
 *   <li>no package cycles: every package of the service is a slice, and no two slices depend on each other in a
 *   circle (so the Spring wiring lives in the root package, above the features, and shared base types below them);
 *   </li>
 *   <li>a feature's {@code internal} packages are used only by that feature and by the service's root package
 *   (its wiring): {@code a.b.internal.X} may be used from {@code a.b..} and the root, nowhere else;</li>
 *   <li>no service uses another service's classes; services build on {@code schemas} and {@code service-runtime}
 *   only.</li>
 * </ol>
 * Each service module runs {@link #check(String)} over its own root package in a test.
 */
public final class ArchitectureRules {

    /** Root packages of the services. */
    public static final List<String> SERVICES = List.of("io.sipai.gateway", "io.sipai.edge",
            "io.sipai.dispatcher", "io.sipai.processors");

    private ArchitectureRules() {
    }

    /** Production classes under {@code root} (test classes left out). */
    public static JavaClasses importProduction(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
    }

    /** Checks every rule against the production classes under {@code root}; throws on the first rule broken. */
    public static void check(String root) {
        check(root, importProduction(root), SERVICES);
    }

    /** Checks every rule against {@code classes}, with {@code services} as the roots of all services. */
    public static void check(String root, JavaClasses classes, List<String> services) {
        noPackageCycles(root).check(classes);
        internalsStayInTheirFeature(root).check(classes);
        noOtherService(root, services).check(classes);
    }

    /** Rule 1: the packages under {@code root}, each a slice, are free of cycles. */
    public static ArchRule noPackageCycles(String root) {
        return SlicesRuleDefinition.slices().matching(root + ".(**)").namingSlices("$1")
                .should().beFreeOfCycles().allowEmptyShould(true);
    }

    /** Rule 2: {@code x.internal} packages are used only from {@code x..} and from {@code root} itself. */
    public static ArchRule internalsStayInTheirFeature(String root) {
        return classes().that().resideInAPackage(root + "..").should(new ArchCondition<>(
                "use another feature's internal packages only from that feature or the wiring in " + root) {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    String owner = internalOwner(target.getPackageName());
                    String from = item.getPackageName();
                    if (owner != null && target.getPackageName().startsWith(root)
                            && !from.equals(root) && !(from.equals(owner) || from.startsWith(owner + "."))) {
                        events.add(SimpleConditionEvent.violated(dependency, String.format(Locale.ROOT,
                                "%s reaches into %s's internals: %s", item.getName(), owner,
                                dependency.getDescription())));
                    }
                }
            }
        }).allowEmptyShould(true);
    }

    /** The package that owns an internal package ({@code a.b} for {@code a.b.internal.c}), or null. */
    static String internalOwner(String packageName) {
        int at = (packageName + ".").indexOf(".internal.");
        return at < 0 ? null : packageName.substring(0, at);
    }

    /** Rule 3: nothing under {@code root} uses the packages of another of {@code services}. */
    public static ArchRule noOtherService(String root, List<String> services) {
        List<String> others = services.stream().filter(service -> !service.equals(root)).toList();
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat(
                DescribedPredicate.describe("belong to another service " + others,
                        (JavaClass target) -> others.stream().anyMatch(service -> target.getPackageName()
                                .equals(service) || target.getPackageName().startsWith(service + "."))))
                .allowEmptyShould(true);
    }
}
