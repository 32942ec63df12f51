-- 0007 catalogue (SQLite): the behaviours the product relies on are system rules, found by a system key that
-- admins cannot change (names, points and caps stay editable); suggested kiosk phrases move from code into each badge.
ALTER TABLE behaviour_rules ADD COLUMN system_key TEXT NULL;
CREATE UNIQUE INDEX ux_behaviour_rules_system_key ON behaviour_rules (system_key) WHERE system_key IS NOT NULL;
UPDATE behaviour_rules SET system_key = code WHERE code IN ('hazard_report', 'near_miss', 'customer_praise', 'suggestion', 'suggestion_adopted');
ALTER TABLE behaviour_rules ADD COLUMN kiosk INTEGER NOT NULL DEFAULT 0; -- offered at the kiosk
UPDATE behaviour_rules SET kiosk = 1 WHERE system_key IN ('hazard_report', 'near_miss');
ALTER TABLE core_values ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;
UPDATE core_values SET sort_order = id;
ALTER TABLE achievement_rules ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE badges ADD COLUMN phrases_zh TEXT NULL; -- one suggested phrase per line
ALTER TABLE badges ADD COLUMN phrases_en TEXT NULL;
-- The phrases the kiosk offered so far (they were in code, keyed by these catalogue codes).
UPDATE badges SET phrases_zh = '你主动来我们班组帮忙，让我们按时完成了今天的任务。' || char(10) || '你把交接信息写得清清楚楚，换班时一点没耽误。', phrases_en = 'You came over to help our team and we finished today''s work on time.' || char(10) || 'Your clear handover notes meant no time was lost at shift change.' WHERE code = 'cross_team_star';
UPDATE badges SET phrases_zh = '你发现了客户订单里的问题并及时纠正，避免了退货。' || char(10) || '你耐心回答客户的问题，客户特意表示感谢。', phrases_en = 'You caught a problem in the customer''s order and fixed it in time, avoiding a return.' || char(10) || 'You patiently answered the customer''s questions and they thanked us for it.' WHERE code = 'customer_guardian';
UPDATE badges SET phrases_zh = '你发现了安全隐患并立刻停机报告，保护了大家。' || char(10) || '你提醒我戴好防护用品，谢谢你的关心。', phrases_en = 'You spotted a hazard, stopped the machine and reported it, keeping us all safe.' || char(10) || 'You reminded me to wear my protective gear. Thank you for looking out for me.' WHERE code = 'safety_star';
UPDATE badges SET phrases_zh = '你耐心教我操作新设备，我现在可以独立上岗了。' || char(10) || '你把经验毫无保留地分享给新同事，大家进步很快。', phrases_en = 'You patiently taught me the new machine and now I can work the station on my own.' || char(10) || 'You shared your experience freely with the new colleagues and they are learning fast.' WHERE code = 'mentor';
UPDATE badges SET phrases_zh = '你的改善点子让我们的工作更省力、更快了。' || char(10) || '你想出的办法解决了困扰我们很久的问题。', phrases_en = 'Your improvement idea made our work easier and faster.' || char(10) || 'Your idea solved a problem that had bothered us for a long time.' WHERE code = 'bright_idea';
UPDATE badges SET phrases_zh = '你这个月在关键任务上的付出大家都看在眼里，谢谢你。', phrases_en = 'Everyone saw your effort on this month''s key task. Thank you.' WHERE code = 'outstanding';
