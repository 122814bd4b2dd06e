package dev.longshore.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK", "127.9.9.9, LOOPBACK", "::1, LOOPBACK",
            "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
            "100.64.0.1, CARRIER_GRADE_NAT", "100.127.255.255, CARRIER_GRADE_NAT",
            "fc00::1, UNIQUE_LOCAL", "fdff::1, UNIQUE_LOCAL",
            "169.254.169.254, INSTANCE_METADATA", "fd00:ec2::254, INSTANCE_METADATA", "169.254.170.2, LINK_LOCAL",
            "fe80::1, LINK_LOCAL", "224.0.0.1, MULTICAST", "ff02::1, MULTICAST",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
            "240.0.0.1, RESERVED", "255.255.255.255, BROADCAST", "192.0.2.1, RESERVED", "2001:db8::1, RESERVED",
            "::ffff:169.254.169.254, INSTANCE_METADATA", "::ffff:127.0.0.1, LOOPBACK", "::ffff:10.0.0.1, PRIVATE",
            "64:ff9b::a9fe:a9fe, INSTANCE_METADATA", "2002:7f00:1::, LOOPBACK",
            "8.8.8.8, PUBLIC", "172.32.0.1, PUBLIC", "100.128.0.1, PUBLIC", "2606:4700::1111, PUBLIC"})
    void classifiesEveryRangeTheDestinationPolicyRefuses(String address, AddressClass expected) throws Exception {
        assertEquals(expected, AddressClass.of(InetAddress.getByName(address)), address);
    }
}
