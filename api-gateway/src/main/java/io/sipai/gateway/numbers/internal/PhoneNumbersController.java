package io.sipai.gateway.numbers.internal;

import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.web.Paging;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/phone-numbers}: the phone-number directory. Each E.164 number routes inbound calls whose webhook URL
 * names no tenant to an agent of the tenant that claimed it. In paths the number's {@code +} may be sent as is or
 * URL-encoded ({@code %2B}).
 */
@RestController
public class PhoneNumbersController {

    private final PhoneNumberService numbers;

    public PhoneNumbersController(PhoneNumberService numbers) {
        this.numbers = numbers;
    }

    @PostMapping("/v1/phone-numbers")
    @ResponseStatus(HttpStatus.CREATED)
    public PhoneNumberService.PhoneNumberView create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                     @RequestBody PhoneNumberService.PhoneNumberSpec spec) {
        return numbers.create(caller.require(Scope.WRITE).tenantId(), spec);
    }

    @GetMapping("/v1/phone-numbers")
    public PhoneNumberService.Page list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                        @RequestParam(required = false) String cursor,
                                        @RequestParam(defaultValue = "50") int limit) {
        return numbers.list(caller.require(Scope.READ).tenantId(), cursor, Paging.limit("limit", limit));
    }

    @GetMapping("/v1/phone-numbers/{number}")
    public PhoneNumberService.PhoneNumberView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                  @PathVariable String number) {
        return numbers.get(caller.require(Scope.READ).tenantId(), number);
    }

    @PutMapping("/v1/phone-numbers/{number}")
    public PhoneNumberService.PhoneNumberView update(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                     @PathVariable String number,
                                                     @RequestBody PhoneNumberService.PhoneNumberUpdate update) {
        return numbers.update(caller.require(Scope.WRITE).tenantId(), number, update);
    }

    @DeleteMapping("/v1/phone-numbers/{number}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String number) {
        numbers.delete(caller.require(Scope.WRITE).tenantId(), number);
    }
}
