package io.sipai.gateway.telephony;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * The registered telephony providers, in name order: what the API accepts as a call's {@code provider}, which one
 * places a call that names none (the first configured), and what the problems and the OpenAPI document list.
 */
@Component
public class TelephonyProviders {

    private final List<TelephonyProvider> providers;

    public TelephonyProviders(List<TelephonyProvider> providers) {
        this.providers = providers.stream().sorted(Comparator.comparing(TelephonyProvider::name)).toList();
        if (new HashSet<>(names()).size() != providers.size()) {
            throw new IllegalStateException("two telephony providers share a name: " + names());
        }
    }

    /** The providers' names, sorted. */
    public List<String> names() {
        return providers.stream().map(TelephonyProvider::name).toList();
    }

    public Optional<TelephonyProvider> byName(String name) {
        return providers.stream().filter(provider -> provider.name().equals(name)).findFirst();
    }

    /** The first provider, in name order, whose origination settings are present. */
    public Optional<TelephonyProvider> firstConfigured() {
        return providers.stream().filter(provider -> provider.originator().configured()).findFirst();
    }

    /** The settings prefixes of all providers, for a message: {@code JAMBONZ_* or TWILIO_*}. */
    public String settingsHint() {
        return providers.stream().map(provider -> provider.name().toUpperCase(Locale.ROOT) + "_*")
                .collect(Collectors.joining(" or "));
    }
}
