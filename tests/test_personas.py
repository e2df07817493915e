def test_personas_hold_their_roles(jw_clerk, sf_leader, sysadmin, outsider):
    assert jw_clerk.has_role("clerk") and jw_clerk.org.code == "文纪"
    assert sf_leader.has_role("leader") and sf_leader.org.kind == "justice"
    assert sysadmin.has_role("sysadmin") and sysadmin.org is None
    assert outsider.org.code == "文教法"
