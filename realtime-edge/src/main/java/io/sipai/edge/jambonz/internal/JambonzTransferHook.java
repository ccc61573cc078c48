package io.sipai.edge.jambonz.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sipai.schemas.telephony.JambonzSignature;
import io.sipai.schemas.telephony.TransferTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /telephony/jambonz/transfer/{callId}?target=..&exp=..&sig=..}: the call_hook a transferred jambonz
 * call is redirected to ({@link JambonzRedirect}). Stateless: the URL's signature binds the call id, the
 * target and the expiry (403 when wrong or expired); with {@code JAMBONZ_WEBHOOK_SECRET} set the request must also
 * carry a valid {@code Jambonz-Signature} over the raw body (403). Answers the verb that hands the caller over:
 * {@code [{"verb":"sip:refer","referTo":"sip:.."}]} for a SIP target, {@code [{"verb":"dial","target":[{"type":
 * "phone","number":"+1.."}]}]} for a number.
 */
@RestController
public final class JambonzTransferHook {

    private static final Logger LOG = LoggerFactory.getLogger(JambonzTransferHook.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JambonzRedirect redirect;
    private final JambonzSettings settings;
    private final Clock clock = Clock.systemUTC();

    public JambonzTransferHook(JambonzRedirect redirect, JambonzSettings settings) {
        this.redirect = redirect;
        this.settings = settings;
    }

    @PostMapping(JambonzRedirect.HOOK_PATH + "{callId}")
    public ResponseEntity<?> hook(@PathVariable String callId, @RequestParam(required = false) String target,
                                  @RequestParam(required = false) String exp,
                                  @RequestParam(required = false) String sig,
                                  @RequestHeader(name = "Jambonz-Signature", required = false) String signature,
                                  @RequestBody(required = false) byte[] body) {
        if (!redirect.validHook(callId, target, exp, sig)) {
            return forbidden("transfer hook signature invalid or expired");
        }
        List<String> secrets = settings.secrets();
        if (!secrets.isEmpty() && !JambonzSignature.verify(secrets, signature, body == null ? new byte[0] : body,
                clock.instant())) {
            return forbidden("Jambonz-Signature missing or invalid");
        }
        TransferTarget parsed = TransferTarget.parse(target).orElse(null);
        if (parsed == null) {
            return forbidden("transfer target is not tel: or sip:");
        }
        Object verb = parsed.kind() == TransferTarget.Kind.SIP
                ? Map.of("verb", "sip:refer", "referTo", parsed.uri())
                : Map.of("verb", "dial", "target", List.of(Map.of("type", "phone", "number", parsed.address())));
        LOG.info("call {}: jambonz asked for the transfer verbs, handing over to {}", callId, parsed.uri());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(List.of(verb)));
    }

    private static ResponseEntity<ProblemDetail> forbidden(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
        problem.setTitle("Forbidden");
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
